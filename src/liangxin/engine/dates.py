"""The one way dates are shown to people: 2020年6月30日 (no leading zeros, as 公文 write them)."""

from __future__ import annotations

from datetime import date

import polars as pl


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_date_expr(day: pl.Expr) -> pl.Expr:
    """``chinese_date`` over a column of dates (null stays null)."""
    return pl.format("{}年{}月{}日", day.dt.year(), day.dt.month(), day.dt.day())
