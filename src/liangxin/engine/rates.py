"""Every rate an official sees, rounded once, half-up, from the exact fraction.

Officials compare rates to the tenth of a percent, so a rate is never rounded to a float first
and formatted again (``round(21 / 155, 4)`` is 0.1355, shown 13.6 %; the fraction is 13.548… %,
13.5 %). The rounding is integer arithmetic on the numerator and denominator, so an exact
half of a tenth (1/16 = 6.25 % → 6.3 %) goes up, the same in Python and in Polars.
"""

from __future__ import annotations

from typing import Any

import polars as pl


def tenths_of_percent(numerator: int, denominator: int) -> int:
    """numerator/denominator in tenths of a percent, half-up: ⌊(1000·n/d) + ½⌋."""
    return (2000 * numerator + denominator) // (2 * denominator)


def percent(numerator: int, denominator: int) -> str | None:
    """'13.5%'; None when the denominator is 0 (no rate, not 0 %)."""
    if not denominator:
        return None
    tenths = tenths_of_percent(numerator, denominator)
    return f"{tenths // 10}.{tenths % 10}%"


def percent_text(numerator: int, denominator: int) -> str:
    """The rate as shown in tables: '13.5%', or '—' without a denominator."""
    return percent(numerator, denominator) or "—"


def percent_with_counts(numerator: int, denominator: int) -> str:
    """'13.5%（21/155）': every rate shows its numerator and denominator."""
    return f"{percent_text(numerator, denominator)}（{numerator}/{denominator}）"


def rate(numerator: int, denominator: int) -> dict[str, Any]:
    """A rate as metrics carry it: the counts, the exact ratio (for ordering) and the shown
    percent."""
    return {
        "numerator": numerator,
        "denominator": denominator,
        "rate": numerator / denominator if denominator else None,
        "percent": percent(numerator, denominator),
    }


def percent_expr(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """``percent`` over whole columns of integer counts (null without a denominator)."""
    n, d = numerator.cast(pl.Int64), denominator.cast(pl.Int64)
    tenths = (2000 * n + d) // (2 * d)
    return pl.when(d > 0).then(
        pl.concat_str(
            (tenths // 10).cast(pl.String), pl.lit("."), (tenths % 10).cast(pl.String), pl.lit("%")
        )
    )
