"""Pieces of the Chinese explanations: values with the source row they came from.

Every helper returns a string expression; one that describes a missing value is null, so a
sentence built from it with ``pl.format`` is null too and drops out of the joined reasons.
"""

from __future__ import annotations

import polars as pl

REASON_SEPARATOR = "；"
LIST_SEPARATOR = "、"


def cite(column: str) -> pl.Expr:
    """“（城关镇摸排表.xlsx［城关镇］第12行）” for the source of ``column``; empty if unknown."""
    return pl.format("（{}）", pl.col(f"{column}_source")).fill_null("")


def number_text(value: pl.Expr) -> pl.Expr:
    """2350.0 → “2350”, 12.345 → “12.35”."""
    whole = value.round(0)
    return (
        pl.when(value == whole)
        .then(whole.cast(pl.Int64).cast(pl.String))
        .otherwise(value.round(2).cast(pl.String))
    )


def amount(column: str, unit: str) -> pl.Expr:
    """“从业人员”-style quantity with its source: “35人（…第12行）”."""
    return pl.format("{}{}{}", number_text(pl.col(column)), pl.lit(unit), cite(column))


def quoted(column: str) -> pl.Expr:
    """A text value in quotes with its source: “注销”（…第3行）."""
    return pl.format("“{}”{}", pl.col(column), cite(column))


def threshold(value: float) -> str:
    return f"{value:g}"


def join_parts(parts: list[pl.Expr], separator: str = "，") -> pl.Expr:
    """The non-null parts joined; null when all are null (or there are none)."""
    if not parts:
        return pl.lit(None, dtype=pl.String)
    joined = pl.concat_str(parts, separator=separator, ignore_nulls=True)
    return pl.when(joined != "").then(joined)
