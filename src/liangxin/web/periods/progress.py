"""Progress against the calendar's deadlines and the policy's coverage targets, projected at
the pace between the first ledger period and now (engine/plan/projection.py)."""

from __future__ import annotations

import datetime
from typing import Any

import polars as pl

from liangxin.engine.labels import ORG_KIND_LABELS
from liangxin.engine.plan import project, sentence
from liangxin.engine.rates import percent_text, percent_with_counts
from liangxin.web.dashboard.metrics import county_metrics
from liangxin.web.orgs.models import Org
from liangxin.web.periods.actions import closure_kinds


def _observations(points: list[tuple[datetime.date, list[dict]]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"key": r["key"], "as_of": day, "done": r["done"], "total": r["total"]}
            for day, rows in points
            for r in rows
        ],
        schema={"key": pl.String, "as_of": pl.Date, "done": pl.Int64, "total": pl.Int64},
    )


def deadline_progress(periods, today: datetime.date) -> list[dict[str, Any]]:
    """One row per task kind: done/total now, the pace and the projection at its deadline."""
    current = closure_kinds()
    points = [(p.as_of, [{**r, "key": r["task_kind"]} for r in p.closure_kinds]) for p in periods]
    if not periods or today > periods[-1].as_of:
        points.append((today, [{**r, "key": r["task_kind"]} for r in current]))
    labels = {r["task_kind"]: (r["task"], datetime.date.fromisoformat(r["deadline"]))
              for _, rows in points for r in rows}  # fmt: skip
    deadlines = pl.DataFrame(
        [(k, d) for k, (_, d) in labels.items()],
        schema={"key": pl.String, "deadline": pl.Date},
        orient="row",
    )
    table = project(_observations(points), deadlines).sort("deadline", "key")
    out = []
    for row in table.iter_rows(named=True):
        label, deadline = labels[row["key"]]
        out.append({**row, "label": label, "text": sentence(label, deadline, row),
                    "overdue": row["remaining"] > 0 and today > deadline})  # fmt: skip
    return out


def target_progress(periods, today: datetime.date, policy) -> list[dict[str, Any]]:
    """Each coverage target: the rate now and the rate projected at the end of the campaign
    year at the current pace."""
    if not policy.targets:
        return []
    end = datetime.date(policy.calendar.year_for(today), 12, 31)
    points = [
        (p.as_of, [{"key": k, "done": m["org_covered"], "total": m["total"]}
                   for k, m in p.kind_metrics.items()])
        for p in periods
    ]  # fmt: skip
    if not periods or today > periods[-1].as_of:
        now = [{"key": kind, **_covered(kind)} for kind in (t.kind for t in policy.targets)]
        points.append((today, now))
    keys = [t.kind for t in policy.targets]
    deadlines = pl.DataFrame({"key": keys, "deadline": [end] * len(keys)})
    table = {r["key"]: r for r in project(_observations(points), deadlines).iter_rows(named=True)}
    out = []
    for target in policy.targets:
        row = table.get(target.kind)
        if row is None:
            continue
        out.append(
            {
                "kind": ORG_KIND_LABELS.get(target.kind, target.kind),
                "target": f"{100 * target.org_coverage_rate:.0f}%",
                "now": percent_with_counts(row["done"], row["total"]) if row["total"] else "—",
                "projected": percent_text(row["projected"], row["total"]) if row["projected"] is not None else "期次不足两期，暂无法预计",
                "reached": row["projected"] is not None and bool(row["total"])
                and row["projected"] >= target.org_coverage_rate * row["total"],
                "end": end,
            }
        )  # fmt: skip
    return out


def _covered(kind: str) -> dict[str, int]:
    m = county_metrics(Org.objects.filter(kind=kind))["total"]
    return {"done": m["org_covered"], "total": m["total"]}
