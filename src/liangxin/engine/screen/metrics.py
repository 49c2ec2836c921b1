"""Coverage metrics per 镇街, per kind and in total (docs/rules.md §R6), in the shape of metrics.json (§R7).

Counts are of in-scope organizations, except ``excluded``. ``overdue_tasks`` counts the open
tasks past their deadline: an organization's under its town and kind, a 园区's under its town
(in ``all`` only), the county's in the county total only. Organizations without a known town
are reported under “镇街不详”, so the towns add up to the total. ``single_established`` is
{"count", "by_type": {党委, 党总支, 党支部}}; a single 联合党支部 counts as 党支部, one of unknown
type in ``count`` only.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import polars as pl

from liangxin.engine.rates import rate

KINDS = ("enterprise", "social_org")
ALL = "all"
UNKNOWN_TOWN = "镇街不详"
BY_TYPE = {
    "committee": "党委",
    "general_branch": "党总支",
    "branch": "党支部",
    "joint_branch": "党支部",
}
TYPE_KEYS = ("党委", "党总支", "党支部")

_single = pl.col("single_established")
_covered = pl.col("org_covered")
# key → which in-scope organizations it counts
COUNTS: dict[str, pl.Expr] = {
    "total": pl.lit(True),
    "single_established": _single,
    "joint_covered": _covered & ~_single,
    "org_covered": _covered,
    "work_covered": pl.col("work_covered"),
    "with_members": (pl.col("formal_members") >= 1).fill_null(False),
    "due": pl.col("single_required"),
    "due_established": pl.col("single_required") & _single,
    "due_unestablished": pl.col("due_unestablished"),
    "above_scale": pl.col("above_scale"),
    "above_scale_single": pl.col("above_scale") & _single,
    "park_total": pl.col("in_park"),
    "park_org_covered": pl.col("in_park") & _covered,
    "focus_50_no_member": pl.col("focus_50_no_member"),
    "focus_100_no_org": pl.col("focus_100_no_org"),
    "focus_social_15_no_member": pl.col("focus_social_15_no_member"),
}
# rate key → (numerator, denominator)
RATES = {
    "org_coverage_rate": ("org_covered", "total"),
    "work_coverage_rate": ("work_covered", "total"),
    "formation_rate": ("due_established", "due"),
}
INDICATORS = (*COUNTS, "excluded", *(f"by_type:{t}" for t in TYPE_KEYS), "overdue_tasks")


def _org_indicators(orgs: pl.DataFrame) -> pl.DataFrame:
    in_scope = pl.col("in_scope")
    type_key = pl.col("party_org_type").replace_strict(BY_TYPE, default=None)
    return orgs.select(
        town=pl.col("town").fill_null(UNKNOWN_TOWN),
        kind="kind",
        **{key: in_scope & expr for key, expr in COUNTS.items()},
        excluded=~in_scope,
        **{f"by_type:{t}": in_scope & _single & (type_key == t) for t in TYPE_KEYS},
    ).with_columns(pl.exclude("town", "kind").fill_null(False).cast(pl.Int64))


def _task_indicators(tasks: pl.DataFrame) -> pl.DataFrame:
    return tasks.filter(pl.col("overdue")).select(
        town=pl.when(pl.col("subject") != "county").then(pl.col("town").fill_null(UNKNOWN_TOWN)),
        kind="kind",
        overdue_tasks=pl.lit(1, dtype=pl.Int64),
    )


def _sums(frame: pl.DataFrame, by: list[str]) -> dict[tuple, dict[str, int]]:
    sums = (
        frame.group_by(by).agg(pl.col(INDICATORS).sum())
        if by
        else frame.select(pl.col(INDICATORS).sum())
    )
    return {tuple(row[k] for k in by): {k: row[k] for k in INDICATORS} for row in sums.to_dicts()}


def _group(sums: dict[str, int] | None) -> dict[str, Any]:
    values = sums or dict.fromkeys(INDICATORS, 0)
    group: dict[str, Any] = {
        key: values[key] for key in INDICATORS if not key.startswith("by_type:")
    }
    group["single_established"] = {
        "count": values["single_established"],
        "by_type": {t: values[f"by_type:{t}"] for t in TYPE_KEYS},
    }
    for key, (numerator, denominator) in RATES.items():
        group[key] = rate(values[numerator], values[denominator])
    return group


def _by_kind(sums: dict[tuple, dict[str, int]], prefix: tuple, all_sums: dict | None) -> dict:
    groups = {kind: _group(sums.get((*prefix, kind))) for kind in KINDS}
    groups[ALL] = _group(all_sums)
    return groups


def compute_metrics(
    orgs: pl.DataFrame, tasks: pl.DataFrame, as_of: date, policy_name: str
) -> dict[str, Any]:
    frame = pl.concat([_org_indicators(orgs), _task_indicators(tasks)], how="diagonal")
    frame = frame.with_columns(pl.col(INDICATORS).fill_null(0))
    by_town_kind = _sums(frame, ["town", "kind"])
    by_town = _sums(frame, ["town"])
    by_kind = _sums(frame, ["kind"])
    total = _sums(frame, [])
    towns = sorted(town for (town,) in by_town if town is not None)
    return {
        "as_of": as_of.isoformat(),
        "policy": policy_name,
        "total": _by_kind(by_kind, (), total.get(())),
        "towns": {town: _by_kind(by_town_kind, (town,), by_town[(town,)]) for town in towns},
    }


def dump_metrics(metrics: dict[str, Any]) -> str:
    """metrics.json text: sorted keys, so equal metrics give byte-identical files."""
    return json.dumps(metrics, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
