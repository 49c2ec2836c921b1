"""Comparing two periods with the engine's change explanation, and trends across periods."""

from __future__ import annotations

from typing import Any

import polars as pl

from liangxin.engine.outputs.changes import KEY_COLUMNS, explain_changes
from liangxin.engine.screen.metrics import RATES
from liangxin.web.periods.models import FLAG_FIELDS, PeriodOrg

SCHEMA = {
    "org_id": pl.String,
    "name": pl.String,
    "town": pl.String,
    "kind": pl.String,
    "in_scope": pl.Boolean,
    "exclusion_reason": pl.String,
    "founded_on": pl.String,
    **{flag: pl.Boolean for flag in FLAG_FIELDS},
}


def period_frame(user, period) -> pl.DataFrame:
    """A period's organizations within the user's scope, as the engine's change table wants."""
    fields = ("org_code", *KEY_COLUMNS[1:])
    rows = PeriodOrg.objects.restrict(user).filter(period=period).values_list(*fields)
    frame = pl.DataFrame(
        [(*r[:6], r[6].isoformat() if r[6] else None, *r[7:]) for r in rows],
        schema=SCHEMA,
        orient="row",
    )
    return frame.select(KEY_COLUMNS)


def compare(user, earlier, later) -> pl.DataFrame:
    return explain_changes(
        period_frame(user, later), period_frame(user, earlier), earlier.as_of.isoformat()
    )


def metric_rows(period, town: str | None) -> dict[str, Any]:
    """The county's (or one 镇街's) counts and rates of a period."""
    if town is None:
        return period.metrics["total"]
    for row in period.metrics["towns"]:
        if row["town"] == town:
            return row
    return {}


TREND_KEYS = ("total", "org_covered", "work_covered", "due_unestablished")


def trend(periods, town: str | None) -> list[dict[str, Any]]:
    out = []
    for period in periods:
        m = metric_rows(period, town)
        closures = [c for c in period.closures if town is None or c["town"] == town]
        total = sum(c["total"] for c in closures)
        done = sum(c["done"] for c in closures)
        out.append(
            {
                "period": period,
                # 单位总数: every organization of the period; ``total`` counts those 纳入统计
                "units": m["total"] + m.get("excluded", 0) if m.get("total") is not None else None,
                **{k: m.get(k) for k in TREND_KEYS},
                **{k: m.get(k) for k in RATES},  # rate, numerator, denominator
                "closure_done": done,
                "closure_total": total,
                "overdue": sum(c["overdue"] for c in closures),
            }
        )
    return out
