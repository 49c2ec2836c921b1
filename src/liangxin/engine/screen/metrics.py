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
import operator
from dataclasses import dataclass
from datetime import date
from functools import reduce
from typing import Any

import polars as pl

from liangxin.engine.labels import ORG_KIND_LABELS, TYPE_LABELS
from liangxin.engine.rates import rate

KINDS = tuple(ORG_KIND_LABELS)
ALL = "all"
UNKNOWN_TOWN = "镇街不详"
# a single 联合党支部 counts as a 党支部
BY_TYPE = {**TYPE_LABELS, "joint_branch": TYPE_LABELS["branch"]}
TYPE_KEYS = tuple(dict.fromkeys(BY_TYPE.values()))


@dataclass(frozen=True)
class Counted:
    """Which organizations a count counts: those in scope (out of it if ``in_scope`` is
    false) that hold every flag of ``flags``, none of ``unless``, and have at least
    ``min_members`` formal members. Declared as data so that the stored organizations are
    counted the same way (``web/dashboard/metrics.py`` turns it into a database filter)."""

    flags: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    min_members: int | None = None
    in_scope: bool = True

    def expr(self) -> pl.Expr:
        scope = pl.col("in_scope")
        terms = [scope if self.in_scope else ~scope]
        terms += [pl.col(flag) for flag in self.flags]
        terms += [~pl.col(flag) for flag in self.unless]
        if self.min_members is not None:
            terms.append((pl.col("formal_members") >= self.min_members).fill_null(False))
        return reduce(operator.and_, terms)


COUNTS: dict[str, Counted] = {
    "total": Counted(),
    "single_established": Counted(("single_established",)),
    "joint_covered": Counted(("org_covered",), unless=("single_established",)),
    "org_covered": Counted(("org_covered",)),
    "work_covered": Counted(("work_covered",)),
    "with_members": Counted(min_members=1),
    "due": Counted(("single_required",)),
    "due_established": Counted(("single_required", "single_established")),
    "due_unestablished": Counted(("due_unestablished",)),
    "above_scale": Counted(("above_scale",)),
    "above_scale_single": Counted(("above_scale", "single_established")),
    "park_total": Counted(("in_park",)),
    "park_org_covered": Counted(("in_park", "org_covered")),
    "focus_50_no_member": Counted(("focus_50_no_member",)),
    "focus_100_no_org": Counted(("focus_100_no_org",)),
    "focus_social_15_no_member": Counted(("focus_social_15_no_member",)),
    "excluded": Counted(in_scope=False),
}
# rate key → (numerator, denominator)
RATES = {
    "org_coverage_rate": ("org_covered", "total"),
    "work_coverage_rate": ("work_covered", "total"),
    "formation_rate": ("due_established", "due"),
}
INDICATORS = (*COUNTS, *(f"by_type:{t}" for t in TYPE_KEYS), "overdue_tasks")


def _org_indicators(orgs: pl.DataFrame) -> pl.DataFrame:
    type_key = pl.col("party_org_type").replace_strict(BY_TYPE, default=None)
    single = COUNTS["single_established"].expr()
    return orgs.select(
        town=pl.col("town").fill_null(UNKNOWN_TOWN),
        kind="kind",
        **{key: counted.expr() for key, counted in COUNTS.items()},
        **{f"by_type:{t}": single & (type_key == t) for t in TYPE_KEYS},
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
