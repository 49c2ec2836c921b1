"""Instructor capacity, docs/rules.md §R5.5: how many organizations each instructor guides vs the policy.

Only organizations in scope count: guiding a deregistered or bankrupt organization is no work.
A limit for 专职 or 兼职 instructors applies to those whose roster says so; an instructor whose
roster leaves it empty is not checked against it (unknown satisfies no condition).
"""

from __future__ import annotations

import polars as pl

from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.policies import CapacityLimit, Policy
from liangxin.engine.screen.wording import REASON_SEPARATOR, join_parts

ORG_GROUPS = {
    "with_party_org": ("orgs_with_party_org", "有党组织的单位"),
    "without_party_org": ("orgs_without_party_org", "未建党组织的单位"),
    "all": ("orgs_guided", "单位"),
}
FINDING_COLUMNS = (
    "entity_id",
    "name",
    "unit",
    "position",
    "full_time",
    "town",
    "orgs_guided",
    "orgs_with_party_org",
    "orgs_without_party_org",
    "over_capacity",
    "reasons",
    "source",
)


def _guided(instructors: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    return (
        instructors.select("entity_id", org_id="unit_org_ids")
        .explode("org_id")
        .join(orgs.filter(pl.col("in_scope")).select("org_id", "org_covered"), on="org_id")
        .group_by("entity_id")
        .agg(
            orgs_guided=pl.len().cast(pl.Int64),
            orgs_with_party_org=pl.col("org_covered").sum().cast(pl.Int64),
        )
        .with_columns(orgs_without_party_org=pl.col("orgs_guided") - pl.col("orgs_with_party_org"))
    )


def _exceeds(limit: CapacityLimit) -> tuple[pl.Expr, pl.Expr]:
    column, noun = ORG_GROUPS[limit.orgs]
    applies = pl.lit(True)
    if limit.instructors != "all":
        applies = squeeze_text(pl.col("full_time")) == limit.instructors
    who = "" if limit.instructors == "all" else f"{limit.instructors}指导员"
    exceeds = (applies & (pl.col(column) > limit.max_orgs)).fill_null(False)
    text = pl.format(
        "超出指导能力：{}指导{}{}家，超过{}家",
        pl.lit(who),
        pl.lit(noun),
        column,
        pl.lit(limit.max_orgs),
    )
    return exceeds, pl.when(exceeds).then(text)


def instructor_findings(
    instructors: pl.DataFrame, orgs: pl.DataFrame, policy: Policy
) -> pl.DataFrame:
    counts = ("orgs_guided", "orgs_with_party_org", "orgs_without_party_org")
    frame = instructors.join(_guided(instructors, orgs), on="entity_id", how="left").with_columns(
        pl.col(counts).fill_null(0)
    )
    checks = [_exceeds(limit) for limit in policy.instructor_capacity]
    over = pl.lit(False)
    for exceeds, _ in checks:
        over = over | exceeds
    reasons = join_parts([text for _, text in checks], REASON_SEPARATOR)
    return (
        frame.with_columns(
            over_capacity=over,
            reasons=pl.format("{}（来源：{}）", reasons, pl.col("source")),
        )
        .select(FINDING_COLUMNS)
        .sort("entity_id")
    )
