"""Gather a period's bulletin: rankings, 销号 progress since the previous period, the overdue
tasks and the newly covered organizations (county-wide; a 镇街 user's lists are its own)."""

from __future__ import annotations

import polars as pl

from liangxin.engine.outputs.bulletin import BulletinData, closure_progress, rank_towns
from liangxin.engine.outputs.changes import KEY_COLUMNS, explain_changes
from liangxin.web.periods.compare import SCHEMA
from liangxin.web.periods.models import Period, PeriodOrg
from liangxin.web.regions.models import Region

NEWLY = ("新实现党的组织覆盖", "新实现党的工作覆盖")


def _frame(period: Period) -> pl.DataFrame:
    fields = ("org_code", *KEY_COLUMNS[1:])
    rows = PeriodOrg.objects.filter(period=period).values_list(*fields)
    return pl.DataFrame(
        [(*r[:6], r[6].isoformat() if r[6] else None, *r[7:]) for r in rows],
        schema=SCHEMA,
        orient="row",
    )


def newly_covered(period: Period, previous: Period | None) -> pl.DataFrame:
    empty = pl.DataFrame(schema={"town": pl.String, "name": pl.String, "explanation": pl.String})
    if previous is None:
        return empty
    changes = explain_changes(_frame(period), _frame(previous), previous.as_of.isoformat())
    hit = pl.lit(False)
    for phrase in NEWLY:
        hit = hit | pl.col("explanation").str.contains(phrase, literal=True)
    return (
        changes.filter(pl.col("change").is_in(["状态变化", "新增"]) & hit)
        .select(pl.col("town").fill_null("镇街不详"), "name", "explanation")
        .sort("town", "name")
    )


def bulletin_data(period: Period, town: str | None = None) -> BulletinData:
    """The bulletin of ``period``; with ``town`` its lists keep only that 镇街 (the rankings
    stay whole: they are the aggregate numbers every 镇街 is compared by)."""
    previous = period.previous()
    county = Region.objects.filter(parent__isnull=True).values_list("name", flat=True).first()
    county = county or "本县"
    overdue = pl.DataFrame(
        period.overdue,
        schema={"town": pl.String, "name": pl.String, "task": pl.String, "deadline": pl.String},
        orient="row",
    )
    newly = newly_covered(period, previous)
    if town is not None:
        overdue = overdue.filter(pl.col("town") == town)
        newly = newly.filter(pl.col("town") == town)
    return BulletinData(
        issuer=f"中共{county}两新组织工作委员会",
        county=county,
        period=period.label,
        as_of=period.as_of,
        previous=previous.label if previous else None,
        totals=period.metrics["total"],
        ranking=rank_towns(period.metrics["towns"]),
        progress=closure_progress(
            [c for c in period.closures if c["town"] != "县级"],
            [c for c in (previous.closures if previous else []) if c["town"] != "县级"],
        ),
        overdue=overdue,
        newly=newly,
    )
