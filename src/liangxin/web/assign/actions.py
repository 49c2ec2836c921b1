"""Accepting the planner's proposals: assignments created, audited, and screened again."""

from __future__ import annotations

import polars as pl
from django.db import transaction

from liangxin.engine.plan import remaining_capacity
from liangxin.web.assign.models import Assignment
from liangxin.web.assign.planner import demand_frame, instructor_frame
from liangxin.web.audit.actions import Action, entry, log_many
from liangxin.web.core.models import DataVersion
from liangxin.web.core.permissions import DISPATCH, require
from liangxin.web.core.policy import current_policy
from liangxin.web.core.scope import CHANGE
from liangxin.web.instructors.models import Instructor
from liangxin.web.jobs.rescreen import request_rescreen, seeds_of
from liangxin.web.orgs.models import Org


class AssignmentError(ValueError):
    """A refused proposal; the message is shown to the user."""


def do_accept(user, pairs: list[tuple[str, str]], reasons: dict[str, str] | None = None) -> int:
    """Create an assignment for each (org_id, instructor entity_id) pair the user accepted.

    Each organization must be the user's to change and still need an instructor; each
    instructor must be visible to the user; no instructor may go over the policy's capacity.
    """
    require(user, DISPATCH)
    reasons = reasons or {}
    if not pairs:
        raise AssignmentError("请先勾选要采纳的选派方案")
    with transaction.atomic():
        need = set(demand_frame(user)["org_id"].to_list())
        orgs = {o.org_id: o for o in Org.objects.restrict(user, CHANGE).filter(
            org_id__in=[p[0] for p in pairs])}  # fmt: skip
        instructors = {
            i.entity_id: i
            for i in Instructor.objects.restrict(user).filter(entity_id__in=[p[1] for p in pairs])
        }
        seen: set[str] = set()
        for org_id, entity_id in pairs:
            if org_id not in orgs or org_id not in need or org_id in seen:
                raise AssignmentError(f"单位 {org_id} 不在可选派范围内或已有指导员")
            if entity_id not in instructors:
                raise AssignmentError(f"指导员 {entity_id} 不在可选范围内")
            seen.add(org_id)
        _check_capacity(user, pairs, orgs)
        created = [
            Assignment(
                instructor=instructors[entity_id],
                instructor_entity_id=entity_id,
                instructor_name=instructors[entity_id].name,
                org=orgs[org_id],
                reason=reasons.get(org_id, "")[:200],
                accepted_by=user,
            )
            for org_id, entity_id in pairs
        ]
        Assignment.objects.bulk_create(created)
        saved = Assignment.objects.filter(
            org__in=[o.pk for o in orgs.values()], accepted_by=user
        ).select_related("org")
        log_many(
            [
                entry(Action.CREATE, user, a, after={"instructor": a.instructor_name,
                      "org": a.org.name, "reason": a.reason}, note="采纳指导员选派方案")
                for a in saved
            ]
        )  # fmt: skip
        DataVersion.bump()
    seeds = seeds_of(orgs=[o for o, _ in pairs], instructors=[e for _, e in pairs])
    request_rescreen(user, "选派指导员后重新筛查", seeds)
    return len(created)


def _check_capacity(user, pairs, orgs) -> None:
    roster = instructor_frame(user)
    cap = remaining_capacity(roster, current_policy().instructor_capacity)
    added = (
        pl.DataFrame(
            [(e, orgs[o].org_covered) for o, e in pairs],
            schema={"entity_id": pl.String, "covered": pl.Boolean},
            orient="row",
        )
        .group_by("entity_id")
        .agg(
            with_=pl.col("covered").sum().cast(pl.Int64),
            without=(~pl.col("covered")).sum().cast(pl.Int64),
        )
    )
    over = added.join(cap, on="entity_id").filter(
        (pl.col("with_") > pl.col("free_with"))
        | (pl.col("without") > pl.col("free_without"))
        | (pl.col("with_") + pl.col("without") > pl.col("free_total"))
    )
    if over.height:
        names = "、".join(over["name"].to_list())
        raise AssignmentError(f"超出指导能力：{names}")
