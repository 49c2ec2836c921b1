"""Progress against deadlines and targets, projected at the current pace (docs/rules.md §R5.7).

“按当前进度，8月31日前规上企业单独组建预计完成 N/M”: from observations of one measure over
time (ledger periods: date, done, total), the pace is the change per day between the first and
the last observation, and the projection is the last value carried on at that pace to the
deadline (never beyond the total, never below what is done). One observation gives no pace.
"""

from __future__ import annotations

from datetime import date

import polars as pl

OBSERVATION_SCHEMA = {"key": pl.String, "as_of": pl.Date, "done": pl.Int64, "total": pl.Int64}
PROJECTION_SCHEMA = {
    "key": pl.String,
    "as_of": pl.Date,
    "done": pl.Int64,
    "total": pl.Int64,
    "remaining": pl.Int64,
    "per_day": pl.Float64,  # null: fewer than two observations
    "projected": pl.Int64,  # null: no pace
}


def project(observations: pl.DataFrame, deadlines: pl.DataFrame) -> pl.DataFrame:
    """``observations``: key, as_of, done, total; ``deadlines``: key, deadline → one row per
    key with the latest values, the pace and the projected ``done`` at the deadline."""
    ordered = observations.cast(OBSERVATION_SCHEMA).sort("key", "as_of")
    summary = ordered.group_by("key", maintain_order=True).agg(
        first_as_of=pl.col("as_of").first(),
        first_done=pl.col("done").first(),
        as_of=pl.col("as_of").last(),
        done=pl.col("done").last(),
        total=pl.col("total").last(),
    )
    days = (pl.col("as_of") - pl.col("first_as_of")).dt.total_days()
    ahead = (pl.col("deadline") - pl.col("as_of")).dt.total_days().clip(lower_bound=0)
    per_day = pl.when(days > 0).then((pl.col("done") - pl.col("first_done")) / days)
    return (
        summary.join(deadlines.select("key", "deadline"), on="key", how="left")
        .with_columns(per_day=per_day)
        .with_columns(
            remaining=(pl.col("total") - pl.col("done")).clip(lower_bound=0),
            projected=pl.when(
                pl.col("per_day").is_not_null() & pl.col("deadline").is_not_null()
            ).then(
                (pl.col("done") + pl.col("per_day").clip(lower_bound=0) * ahead)
                .floor()
                .cast(pl.Int64)
                .clip(upper_bound=pl.col("total"))
            ),
        )
        .select(*PROJECTION_SCHEMA, "deadline")
    )


def sentence(label: str, deadline: date | None, row: dict) -> str:
    """The projection in words."""
    when = f"{deadline.month}月{deadline.day}日前" if deadline else ""
    if row["remaining"] == 0:
        return f"{label}已全部完成（{row['done']}/{row['total']}）"
    if row["projected"] is None:
        return f"{label}：已完成{row['done']}/{row['total']}，期次不足两期，暂无法预计"
    return f"按当前进度，{when}{label}预计完成 {row['projected']}/{row['total']}"
