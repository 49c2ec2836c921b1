"""The province's tables and workbook: counties and cities ranked on both rates (each with its
numerator and denominator, rounded once, half-up: ``engine/rates.py``), the cross-county
findings, and the counties or files that could not be read or built.

Written into ``OUT/全省汇总/`` as Parquet (a province does not fit Excel's rows; these tables
do) and as the workbook ``全省汇总.xlsx``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from liangxin.engine.outputs.workbook import Book, Column, Sheet
from liangxin.engine.rates import percent_expr
from liangxin.engine.screen.metrics import ALL

FOLDER = "全省汇总"
WORKBOOK = "全省汇总.xlsx"
NO_CITY = "（未分市）"
PROVINCE_ROW = "全省"


@dataclass
class Province:
    counties: pl.DataFrame  # city, county, kind, total, org_covered, work_covered
    cities: pl.DataFrame  # city, kind, counts
    total: pl.DataFrame  # kind, counts
    cross_county: pl.DataFrame  # credit_code, name, city, county, counties
    problems: pl.DataFrame  # city, county, part (failed / file_error), file, error

    @property
    def failed(self) -> pl.DataFrame:
        return self.problems.filter(pl.col("part") == "failed")


def with_rates(counts: pl.DataFrame) -> pl.DataFrame:
    return counts.with_columns(
        org_coverage_rate=percent_expr(pl.col("org_covered"), pl.col("total")),
        work_coverage_rate=percent_expr(pl.col("work_covered"), pl.col("total")),
    )


def ranked(counts: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Rows of kind ``all`` ranked by organization coverage, then work coverage (the exact
    ratios, as the county ranks its 镇街), then name."""
    ratio = [
        (pl.col(n) / pl.col("total")).fill_nan(None).fill_null(0.0)
        for n in ("org_covered", "work_covered")
    ]
    return (
        with_rates(counts.filter(pl.col("kind") == ALL))
        .sort([r * -1 for r in ratio] + [pl.col(c) for c in by])
        .with_row_index("rank", offset=1)
        .with_columns(pl.col("rank").cast(pl.Int64))
    )


def write_province(province: Province, out_dir: Path) -> None:
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with_rates(province.counties).write_parquet(folder / "counties.parquet")
    with_rates(province.cities).write_parquet(folder / "cities.parquet")
    with_rates(province.total).write_parquet(folder / "province.parquet")
    province.cross_county.write_parquet(folder / "cross_county.parquet")
    province.problems.write_parquet(folder / "problems.parquet")
    with Book(folder / WORKBOOK) as book:
        for sheet in province_sheets(province):
            book.add(sheet)


_RATE_COLUMNS = (
    Column("单位数", "total", 10),
    Column("已覆盖", "org_covered", 10, "党的组织覆盖"),
    Column("覆盖率", "org_coverage_rate", 10, "党的组织覆盖"),
    Column("已覆盖", "work_covered", 10, "党的工作覆盖"),
    Column("覆盖率", "work_coverage_rate", 10, "党的工作覆盖"),
)


def province_sheets(province: Province) -> list[Sheet]:
    named = pl.col("city").replace("", NO_CITY)
    total = with_rates(province.total.filter(pl.col("kind") == ALL)).with_columns(
        city=pl.lit(PROVINCE_ROW), county=pl.lit(None, pl.String), rank=pl.lit(None, pl.Int64)
    )
    counties = ranked(province.counties, ["city", "county"]).with_columns(city=named)
    cities = ranked(province.cities, ["city"]).with_columns(city=named)
    sheets = [
        Sheet(
            "县区排名",
            (Column("排名", "rank", 6), Column("市", "city", 12), Column("县区", "county", 14))
            + _RATE_COLUMNS,
            pl.concat([counties, total.select(counties.columns)]),
            title="各县区“两个覆盖”排名",
        )
    ]
    if province.cities.filter(pl.col("city") != "").height:
        sheets.append(
            Sheet(
                "市排名",
                (Column("排名", "rank", 6), Column("市", "city", 12)) + _RATE_COLUMNS,
                pl.concat([cities, total.select(cities.columns)]),
                title="各市“两个覆盖”排名",
            )
        )
    sheets.append(
        Sheet(
            "跨县区同一信用代码",
            (
                Column("统一社会信用代码", "credit_code", 22),
                Column("名称", "name", 30),
                Column("市", "city", 12),
                Column("县区", "county", 14),
                Column("出现在", "counties", 30),
            ),
            province.cross_county.with_columns(city=named),
            title="同一统一社会信用代码出现在多个县区（迁出迁入或重复登记，请核实）",
        )
    )
    sheets.append(
        Sheet(
            "未能处理",
            (
                Column("市", "city", 12),
                Column("县区", "county", 14),
                Column("文件", "file", 30),
                Column("原因", "error", 60),
            ),
            province.problems.with_columns(
                city=named, file=pl.col("file").fill_null("（整个县区未能生成）")
            ),
            title="未能生成的县区和未能读取的文件",
        )
    )
    return sheets
