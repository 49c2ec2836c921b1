"""A bulletin's data from per-镇街 counts, for the tests that write and read back a .docx."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from liangxin.engine.outputs.bulletin import BulletinData, closure_progress, rank_towns

OVERDUE_SCHEMA = {"town": pl.String, "name": pl.String, "task": pl.String, "deadline": pl.String}


def bulletin_data(
    towns: list[dict[str, Any]], totals: dict[str, Any], overdue: pl.DataFrame | None = None
) -> BulletinData:
    """Towns' counts (town, total, org_covered, work_covered); their 销号 progress is taken to
    be the organizations covered, so that progress rates have known fractions too."""
    closures = [
        {"town": t["town"], "total": t["total"], "done": t["org_covered"], "open": 0, "overdue": 0}
        for t in towns
    ]
    return BulletinData(
        issuer="中共临沭县委两新工委",
        county="临沭县",
        period="2020年6月",
        as_of=date(2020, 6, 30),
        previous=None,
        totals=totals,
        ranking=rank_towns(towns),
        progress=closure_progress(closures, []),
        overdue=pl.DataFrame(schema=OVERDUE_SCHEMA) if overdue is None else overdue,
        newly=pl.DataFrame(schema={"town": pl.String, "name": pl.String, "explanation": pl.String}),
    )
