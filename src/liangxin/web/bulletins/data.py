"""Gather a period's bulletin: rankings, 销号 progress since the previous period, the overdue
tasks and the newly covered organizations.

The figures (totals, rankings, progress) are the county's, counted per 镇街 without naming any
organization, and the same for every reader. The two lists name organizations and hold only
those of the reader's scope (docs/security.md, “通报的范围”): a 镇街 user's own 镇街, a
department user's or an instructor's own organizations, the whole county for county-wide roles.
"""

from __future__ import annotations

import polars as pl

from liangxin.engine.outputs.bulletin import BulletinData, closure_progress, rank_towns
from liangxin.engine.outputs.changes import STATUS_FLAGS, explain_changes
from liangxin.engine.screen.metrics import UNKNOWN_TOWN
from liangxin.web.core.scope import Scope
from liangxin.web.orgs.models import Org
from liangxin.web.periods.compare import period_frame
from liangxin.web.periods.models import Period
from liangxin.web.regions.models import Region

# the change explanation's words for an organization newly covered
NEWLY = tuple(STATUS_FLAGS[flag][0] for flag in ("org_covered", "work_covered"))


def newly_covered(user, period: Period, previous: Period | None) -> pl.DataFrame:
    empty = pl.DataFrame(schema={"town": pl.String, "name": pl.String, "explanation": pl.String})
    if previous is None:
        return empty
    changes = explain_changes(
        period_frame(user, period), period_frame(user, previous), previous.as_of.isoformat()
    )
    hit = pl.lit(False)
    for phrase in NEWLY:
        hit = hit | pl.col("explanation").str.contains(phrase, literal=True)
    return (
        changes.filter(pl.col("change").is_in(["状态变化", "新增"]) & hit)
        .select(pl.col("town").fill_null(UNKNOWN_TOWN), "name", "explanation")
        .sort("town", "name")
    )


def overdue_rows(user, period: Period) -> list[dict]:
    """The period's overdue tasks the user may see: a 镇街 user's by place (a park's too), a
    department user's or an instructor's by their organization (tasks without one, and those
    of periods frozen before the organization was recorded, are not theirs)."""
    scope = Scope.of(user)
    if scope.everything:
        return period.overdue
    if scope.region_path is not None:
        return [row for row in period.overdue if row["town"] == user.region.name]
    named = {row["org"] for row in period.overdue if row.get("org") is not None}
    mine = set(Org.objects.restrict(user).filter(pk__in=named).values_list("pk", flat=True))
    return [row for row in period.overdue if row.get("org") in mine]


def bulletin_data(period: Period, user) -> BulletinData:
    """The bulletin of ``period`` as ``user`` may read it."""
    previous = period.previous()
    county = Region.objects.filter(parent__isnull=True).values_list("name", flat=True).first()
    county = county or "本县"
    overdue = pl.DataFrame(
        [
            {k: row[k] for k in ("town", "name", "task", "deadline")}
            for row in overdue_rows(user, period)
        ],
        schema={"town": pl.String, "name": pl.String, "task": pl.String, "deadline": pl.String},
        orient="row",
    )
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
        newly=newly_covered(user, period, previous),
    )
