"""metrics.xlsx in the layout of the 党内统计 tables, and the 镇街 ranking of the ledger's 汇总."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from liangxin.engine.labels import FLAG_LABELS, TYPE_LABELS
from liangxin.engine.outputs.workbook import Book, Column, Sheet
from liangxin.engine.rates import percent_with_counts
from liangxin.engine.screen.metrics import COUNTS, UNKNOWN_TOWN

TOTAL_ROW = "合计"
COUNTY_ROW = "全县合计"
_single = pl.col("single_established")
_type = pl.col("party_org_type")
_members = pl.col("formal_members")
# 党内统计 column → which in-scope organizations it counts; those metrics.json has as well are
# its definitions (screen/metrics.py)
STATISTICS: dict[str, pl.Expr] = {
    "units": COUNTS["total"].expr(),
    "single_committee": _single & (_type == "committee"),
    "single_general_branch": _single & (_type == "general_branch"),
    "single_branch": _single & _type.is_in(["branch", "joint_branch"]),
    "joint_branch": COUNTS["joint_covered"].expr(),
    "due_unestablished": COUNTS["due_unestablished"].expr(),
    "few_members": ~pl.col("org_covered") & _members.is_between(1, 2),
    "no_members": ~pl.col("org_covered") & (_members == 0),
    "instructor_only": pl.col("work_covered") & ~pl.col("org_covered"),
}
STATISTIC_COLUMNS = [
    Column("镇街", "town", 14),
    Column("单位数", "units", 10),
    *(
        Column(TYPE_LABELS[t], f"single_{t}", 8, "已单独建立党组织")
        for t in ("committee", "general_branch", "branch")
    ),
    Column("已建联合党支部覆盖", "joint_branch", 12),
    Column(FLAG_LABELS["due_unestablished"], "due_unestablished", 10),
    Column("仅有个别党员（1-2名）", "few_members", 12, "未建党组织"),
    Column("没有党员", "no_members", 10, "未建党组织"),
    Column("党建工作指导员联系的", "instructor_only", 14),
]


def statistics_table(orgs: pl.DataFrame, kind: str) -> pl.DataFrame:
    """One row per 镇街 plus 合计, counting in-scope organizations of one kind."""
    counted = orgs.filter(pl.col("in_scope") & (pl.col("kind") == kind)).select(
        town=pl.col("town").fill_null(UNKNOWN_TOWN),
        **{key: expr.fill_null(False).cast(pl.Int64) for key, expr in STATISTICS.items()},
    )
    by_town = counted.group_by("town").agg(pl.exclude("town").sum()).sort("town")
    total = counted.select(pl.lit(TOTAL_ROW).alias("town"), pl.exclude("town").sum())
    return pl.concat([by_town, total.cast(by_town.schema)])


def write_statistics(path: Path, orgs: pl.DataFrame, title: str) -> None:
    with Book(path) as book:
        for kind, label in (("enterprise", "非公有制企业"), ("social_org", "社会组织法人单位")):
            book.add(
                Sheet(
                    label,
                    STATISTIC_COLUMNS,
                    statistics_table(orgs, kind),
                    f"{title}{label}党组织建设情况统计表",
                )
            )


def _percent(rate: dict[str, Any]) -> str:
    return percent_with_counts(rate["numerator"], rate["denominator"])


def _ranking_row(name: str, m: dict[str, Any]) -> dict[str, Any]:
    return {
        "town": name,
        "total": m["total"],
        "org_covered": m["org_covered"],
        "org_coverage_rate": _percent(m["org_coverage_rate"]),
        "work_covered": m["work_covered"],
        "work_coverage_rate": _percent(m["work_coverage_rate"]),
        "due": m["due"],
        "due_established": m["due_established"],
        "formation_rate": _percent(m["formation_rate"]),
        "due_unestablished": m["due_unestablished"],
        "overdue_tasks": m["overdue_tasks"],
        "excluded": m["excluded"],
    }


def ranking_table(metrics: dict[str, Any]) -> pl.DataFrame:
    """镇街 ranked by organization coverage, then work coverage (rates show n/d), then 全县.

    Organizations of no known 镇街 are listed unranked: nobody is assessed on them.
    """
    towns = sorted(
        ((town, m) for town, m in metrics["towns"].items() if town != UNKNOWN_TOWN),
        key=lambda item: (
            -(item[1]["all"]["org_coverage_rate"]["rate"] or 0.0),
            -(item[1]["all"]["work_coverage_rate"]["rate"] or 0.0),
            item[0],
        ),
    )
    rows = [
        {"rank": rank, **_ranking_row(town, m["all"])} for rank, (town, m) in enumerate(towns, 1)
    ]
    if UNKNOWN_TOWN in metrics["towns"]:
        unknown = metrics["towns"][UNKNOWN_TOWN]["all"]
        rows.append({"rank": None, **_ranking_row(UNKNOWN_TOWN, unknown)})
    rows.append({"rank": None, **_ranking_row(COUNTY_ROW, metrics["total"]["all"])})
    return pl.DataFrame(rows, schema_overrides={"rank": pl.Int64})
