"""Screening: reconciled organizations → scope, facts, obligations, findings, tasks (docs/rules.md §R5, §R6).

``screen`` applies a policy to a reconciled county on an as-of date; ``metrics`` summarises the
result as metrics.json. Everything is computed over whole tables with polars expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from liangxin.engine.policies import Policy
from liangxin.engine.reconcile import Reconciled
from liangxin.engine.screen.capacity import instructor_findings
from liangxin.engine.screen.inputs import org_table
from liangxin.engine.screen.links import (
    instructor_table,
    link_orgs,
    park_table,
    party_org_table,
)
from liangxin.engine.screen.metrics import compute_metrics, dump_metrics
from liangxin.engine.screen.rules import RULES, apply_rules, why_column
from liangxin.engine.screen.scope import apply_scope
from liangxin.engine.screen.structure import party_org_findings
from liangxin.engine.screen.tasks import build_tasks
from liangxin.engine.screen.wording import REASON_SEPARATOR, join_parts

__all__ = ["FLAGS", "Screened", "dump_metrics", "metrics", "screen"]

FLAGS = tuple(rule.name for rule in RULES)
# Columns the screening adds to the reconciled organizations, in this order.
SCREEN_COLUMNS = (
    "in_scope",
    "exclusion_reason",
    "formal_members",
    "formal_members_source",
    "single_party_org_id",
    "party_org_type",
    "party_org_ids",
    "instructor_ids",
    "park_ids",
    *FLAGS,
    "reasons",
)


@dataclass(frozen=True)
class Screened:
    as_of: date
    policy: Policy
    orgs: pl.DataFrame  # reconciled orgs + SCREEN_COLUMNS
    party_orgs: pl.DataFrame  # one row per party organization with its structure findings
    instructors: pl.DataFrame  # one row per instructor with the capacity finding
    tasks: pl.DataFrame  # one row per open task


def screen(reconciled: Reconciled, policy: Policy, as_of: date) -> Screened:
    party = party_org_table(reconciled)
    instructors = instructor_table(reconciled)
    parks = park_table(reconciled)
    orgs = link_orgs(org_table(reconciled), party, instructors, parks)
    orgs = apply_rules(apply_scope(orgs), policy)
    orgs = orgs.with_columns(
        reasons=join_parts(
            [pl.col("_why_excluded"), *(pl.col(why_column(f)) for f in FLAGS)], REASON_SEPARATOR
        )
    )
    tasks = build_tasks(orgs, parks, policy, as_of)
    reconciled_columns = [c for c in reconciled.orgs.columns if c not in SCREEN_COLUMNS]
    orgs = orgs.select(*reconciled_columns, *SCREEN_COLUMNS)
    return Screened(
        as_of=as_of,
        policy=policy,
        orgs=orgs,
        party_orgs=party_org_findings(party, orgs, policy),
        instructors=instructor_findings(instructors, orgs, policy),
        tasks=tasks,
    )


def metrics(screened: Screened) -> dict[str, Any]:
    """metrics.json as a dict: {as_of, policy, total: {kind: …}, towns: {镇街: {kind: …}}}."""
    return compute_metrics(screened.orgs, screened.tasks, screened.as_of, screened.policy.name)
