"""Turn the rows under a header into canonical records, rejected rows and cell problems.

Each row below the header is one of: blank, a 合计/小计 row, a note (“注：…”, “填报人：…”), a
repeated header — none of which are data rows — or a data row, which is accepted or rejected
with a reason. A cell that cannot be parsed does not reject its row: the value stays empty and
the cell is listed as a data problem, so one typo does not lose an organization.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from liangxin.engine.intake.headers import HeaderLayout
from liangxin.engine.intake.readers import ROW, RawSheet
from liangxin.engine.normalize.codes import code_from_clean, code_problem
from liangxin.engine.normalize.text import clean_text
from liangxin.engine.normalize.values import (
    bool_from_clean,
    count_from_clean,
    date_from_clean,
    failed_from_clean,
    money_from_clean,
)
from liangxin.engine.records import SOURCE_COLUMNS, value_dtype
from liangxin.engine.schema import SCHEMAS, ValueType

REJECT_SCHEMA = {
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
    "reason": pl.String,
}
PROBLEM_SCHEMA = {
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "problem": pl.String,
}

_TOTAL = r"^(合计|小计|总计|共计|累计|总数)"
_NOTE = (
    r"^(注\d*[:：、.．]|注意[:：]|说明[:：]|备注[:：]|填表|填报|制表|审核|统计人|负责人[:：]|"
    r"联系人[:：]|联系电话[:：]|数据来源|资料来源|截至|截止)"
)
# Cells that officials type for “nothing here”; they identify no organization.
_PLACEHOLDER = r"^[(（]?(无|空|空白|暂无|不详|未知|/|-|—|——|\\|0)[)）]?$"


UNCHECKED = (ValueType.TEXT, ValueType.LIST)  # any text is a valid value
PROBLEM_NOUNS = {
    ValueType.INT: "数字",
    ValueType.MONEY_WAN: "金额",
    ValueType.DATE: "日期",
    ValueType.BOOL: "是/否",
}


@dataclass
class SheetRows:
    records: pl.DataFrame  # canonical columns + source columns, accepted rows only
    rejects: pl.DataFrame
    problems: pl.DataFrame


def extract_rows(sheet: RawSheet, layout: HeaderLayout) -> SheetRows:
    schema = SCHEMAS[layout.kind]
    raw_columns = sheet.columns
    body = sheet.cells.slice(layout.data_start)
    cells = [pl.col(c).str.strip_chars() for c in raw_columns]
    filled = [c.is_not_null() & (c != "") for c in cells]
    first_text = pl.coalesce([pl.when(f).then(c) for c, f in zip(cells, filled, strict=True)])
    header_echo = pl.sum_horizontal(
        (pl.col(m.column).str.replace_all(r"\s", "") == m.label.replace(" ", "")).fill_null(False)
        for m in layout.columns
    )
    body = body.with_columns(
        _filled=pl.sum_horizontal(filled),
        _first=first_text.str.replace_all(r"\s", ""),
        _echo=header_echo,
    )
    is_data = ~(
        (pl.col("_filled") == 0)
        | pl.col("_first").str.contains(_TOTAL)
        | (pl.col("_first").str.contains(_NOTE) & (pl.col("_filled") <= 3))
        | (pl.col("_echo") * 2 >= len(layout.columns))
    )
    data = body.filter(is_data)

    source = [
        pl.col(ROW).alias("source_row"),
        pl.lit(sheet.file).alias("source_file"),
        pl.lit(sheet.sheet).alias("source_sheet"),
    ]
    mapped = [m for m in layout.columns if m.field != "seq"]
    # Each cell is cleaned and parsed once; the problems are read off the staged columns.
    staged = data.select(
        *source, *(_cleaned(m, schema.field(m.field).type).alias(_raw(m)) for m in mapped)
    ).with_columns(
        _parse(schema.field(m.field).type, pl.col(_raw(m)), m.unit).alias(m.field) for m in mapped
    )
    checked = [m for m in mapped if schema.field(m.field).type not in UNCHECKED]
    problems = [_problem_rows(staged.lazy(), m, schema.field(m.field).type) for m in checked]
    present = {m.field for m in mapped}
    records = staged.select(
        *SOURCE_COLUMNS,
        *(
            pl.col(f.name)
            if f.name in present
            else pl.lit(None, dtype=value_dtype(f.type)).alias(f.name)
            for f in schema.fields
            if f.name != "seq"
        ),
    )
    records, rejects = _split_rejects(records, schema.identity, layout, sheet)
    if sheet.truncated and data.height and records.height:
        last = data[ROW].max()
        cut = records.filter(pl.col("source_row") == last)
        if cut.height:
            records = records.filter(pl.col("source_row") != last)
            rejects = pl.concat(
                [
                    rejects,
                    cut.select(*SOURCE_COLUMNS, reason=pl.lit("文件在此行被截断，本行数据不完整")),
                ]
            )
    problem_frame = (
        pl.concat(problems).collect() if problems else pl.DataFrame(schema=PROBLEM_SCHEMA)
    )
    accepted_rows = records["source_row"]
    problem_frame = problem_frame.filter(pl.col("source_row").is_in(accepted_rows.implode()))
    return SheetRows(records, rejects, problem_frame)


def _parse(kind: ValueType, raw: pl.Expr, unit: str | None) -> pl.Expr:
    """The typed value of a cleaned cell (`_cleaned`); parsers do not clean it again."""
    match kind:
        case ValueType.INT:
            return count_from_clean(raw)
        case ValueType.MONEY_WAN:
            return money_from_clean(raw, unit)
        case ValueType.DATE:
            return date_from_clean(raw)
        case ValueType.BOOL:
            return bool_from_clean(raw)
        case ValueType.CODE:
            return code_from_clean(raw)
        case _:
            return raw


def _raw(m) -> str:
    return f"_raw:{m.field}"


def _cleaned(m, kind: ValueType) -> pl.Expr:
    cell = pl.col(m.column)
    if kind is ValueType.LIST:
        # Line breaks separate the items of a list cell; clean_text would turn them into spaces.
        cell = cell.str.replace_all(r"[\r\n]+", "、")
    return clean_text(cell)


def _problem_rows(staged: pl.LazyFrame, m, kind: ValueType) -> pl.LazyFrame:
    raw, value = pl.col(_raw(m)), pl.col(m.field)
    if kind is ValueType.CODE:
        problem = pl.lit("统一社会信用代码无效：") + code_problem(value)
    else:
        problem = pl.when(failed_from_clean(raw, value)).then(
            pl.lit(f"无法识别的{PROBLEM_NOUNS[kind]}")
        )
    # The problem is computed once and the rows without one are dropped afterwards.
    return staged.select(
        *SOURCE_COLUMNS,
        pl.lit(m.label).alias("column"),
        raw.alias("value"),
        problem.alias("problem"),
    ).filter(pl.col("problem").is_not_null())


def _split_rejects(
    records: pl.DataFrame, identity: tuple[str, ...], layout: HeaderLayout, sheet: RawSheet
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows that name nothing identifiable are rejected; all others are accepted."""
    names = [n for n in identity if n in records.columns]
    present = [
        pl.col(n).is_not_null() & ~pl.col(n).cast(pl.String).str.contains(_PLACEHOLDER)
        for n in names
    ]
    has_identity = pl.any_horizontal(present)
    labels = layout.labels()
    columns = "、".join(f"「{labels.get(n, SCHEMAS[layout.kind].field(n).label)}」" for n in names)
    reason = f"{columns}均为空，无法确定是哪个单位" if len(names) > 1 else f"{columns}为空"
    rejects = records.filter(~has_identity).select(*SOURCE_COLUMNS, reason=pl.lit(reason))
    return records.filter(has_identity), rejects
