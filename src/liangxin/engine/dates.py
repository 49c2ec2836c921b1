"""The one way dates are shown to people: 2020年6月30日 (no leading zeros, as 公文 write them)."""

from __future__ import annotations

import datetime

import polars as pl


def date_text(day: datetime.date | None) -> str:
    """“2020年6月30日”; a datetime gives its calendar day (convert to local time first)."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def date_text_expr(day: pl.Expr) -> pl.Expr:
    """``date_text`` over a column of dates (null stays null)."""
    return pl.format("{}年{}月{}日", day.dt.year(), day.dt.month(), day.dt.day())
