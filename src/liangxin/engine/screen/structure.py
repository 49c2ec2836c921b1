"""Party organization structure checks, docs/rules.md §R5.4: 超大支部, 党员不足, 联合过宽, 空壳支部.

One row per party organization; a 撤销 (inactive) one has no findings.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from liangxin.engine.labels import TYPE_LABELS
from liangxin.engine.policies import Policy
from liangxin.engine.screen.rules import RuleResult
from liangxin.engine.screen.wording import LIST_SEPARATOR, REASON_SEPARATOR, join_parts

BRANCH_TYPES = ("branch", "joint_branch")

FINDING_COLUMNS = (
    "entity_id",
    "party_org_name",
    "type",
    "mode_code",
    "active",
    "members_total",
    "formal_members",
    "unit_count",
    "units_named",
    "units_in_scope",
    "oversize_branch",
    "suggested_type",
    "undersize_single",
    "joint_too_wide",
    "shell",
    "reasons",
    "source",
)


def _unit_scope(party: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    """(entity_id, units_in_scope, _units_out): how many units are in scope; the others named."""
    units = (
        party.select("entity_id", org_id="unit_org_ids")
        .explode("org_id")
        .filter(pl.col("org_id").is_not_null())
        .join(orgs.select("org_id", "name", "in_scope", "exclusion_reason"), on="org_id")
    )
    out = pl.format("{}（{}）", "name", "exclusion_reason")
    return units.group_by("entity_id").agg(
        units_in_scope=pl.col("in_scope").sum().cast(pl.Int64),
        _units_out=out.filter(~pl.col("in_scope")).sort().str.join(LIST_SEPARATOR),
    )


_members = pl.col("members_total")


def suggested_type(policy: Policy) -> pl.Expr:
    """The type a branch's membership calls for: 党委 above one limit, 党总支 above the other."""
    limits = policy.party_org
    return (
        pl.when(_members > limits.committee_members_above)
        .then(pl.lit("committee"))
        .when(_members > limits.general_branch_members_above)
        .then(pl.lit("general_branch"))
    )


def check_oversize_branch(policy: Policy) -> RuleResult:
    limits = policy.party_org
    suggested = suggested_type(policy)
    limit = (
        pl.when(suggested == "committee")
        .then(pl.lit(limits.committee_members_above))
        .otherwise(pl.lit(limits.general_branch_members_above))
    )
    return RuleResult(
        pl.col("type").is_in(BRANCH_TYPES) & suggested.is_not_null(),
        pl.format(
            "超大支部：党员{}名，超过{}名，应成立{}",
            _members,
            limit,
            suggested.replace_strict(TYPE_LABELS, default=None),
        ),
    )


def check_undersize_single(policy: Policy) -> RuleResult:
    limit = policy.party_org.undersize_formal_members_below
    return RuleResult(
        (pl.col("units_named") == 1) & (pl.col("formal_members") < limit),
        pl.format("单独组建党员不足：正式党员{}名，不足{}名", "formal_members", pl.lit(limit)),
    )


def check_joint_too_wide(policy: Policy) -> RuleResult:
    limit = policy.party_org.joint_branch_max_units
    joint_branch = (pl.col("type") == "joint_branch") | (
        (pl.col("type") == "branch") & (pl.col("mode_code") == "joint")
    )
    return RuleResult(
        joint_branch & (pl.col("units_named") > limit),
        pl.format("联合党支部覆盖单位过多：{}家，超过{}家", "units_named", pl.lit(limit)),
    )


def check_shell(policy: Policy) -> RuleResult:
    all_resolved = pl.col("units_named") == pl.col("unit_count")
    units_all_out = (pl.col("unit_count") > 0) & all_resolved & (pl.col("units_in_scope") == 0)
    return RuleResult(
        units_all_out | (_members == 0),
        pl.format(
            "空壳支部：{}，应撤改立",
            pl.when(_members == 0)
            .then(pl.lit("党员0名"))
            .otherwise(pl.format("所在单位均不纳入统计：{}", pl.col("_units_out"))),
        ),
    )


CHECKS: list[tuple[str, Callable[[Policy], RuleResult]]] = [
    ("oversize_branch", check_oversize_branch),
    ("undersize_single", check_undersize_single),
    ("joint_too_wide", check_joint_too_wide),
    ("shell", check_shell),
]


def party_org_findings(party: pl.DataFrame, orgs: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Every check of ``CHECKS`` for every party organization; an inactive one has none."""
    frame = party.join(_unit_scope(party, orgs), on="entity_id", how="left").with_columns(
        pl.col("units_in_scope").fill_null(0)
    )
    active = pl.col("active").fill_null(True)
    results = {name: check(policy) for name, check in CHECKS}
    frame = frame.with_columns(
        (active & result.flag).fill_null(False).alias(name) for name, result in results.items()
    )
    reasons = join_parts(
        [pl.when(pl.col(name)).then(result.reason) for name, result in results.items()],
        REASON_SEPARATOR,
    )
    return (
        frame.with_columns(
            suggested_type=pl.when(pl.col("oversize_branch")).then(suggested_type(policy)),
            reasons=pl.format("{}（来源：{}）", reasons, pl.col("source")),
        )
        .select(FINDING_COLUMNS)
        .sort("entity_id")
    )
