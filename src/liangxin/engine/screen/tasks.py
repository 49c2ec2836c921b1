"""Tasks under 销号管理, docs/rules.md §R5.6: one per open obligation and calendar task.

The policy's calendar says which task falls on whom and by when. A task exists while the
data shows its obligation unmet (so every task here is open); it is overdue when the as-of
date is past its deadline. The 100 % task of a 园区 is open while one of its in-scope units
has no party organization.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from liangxin.engine.policies import Policy
from liangxin.engine.screen.rules import why_column

TASK_SCHEMA = {
    "task_id": pl.String,
    "task_kind": pl.String,
    "task": pl.String,
    "subject": pl.String,  # county | org | park
    "subject_id": pl.String,  # org_id or park entity_id; empty for the county
    "name": pl.String,
    "kind": pl.String,  # enterprise | social_org for an org's task
    "town": pl.String,
    "deadline": pl.Date,
    "status": pl.String,
    "overdue": pl.Boolean,
    "reason": pl.String,
}
OPEN = "open"

# subject → (which orgs, the flag whose explanation says why)
ORG_SUBJECTS: dict[str, tuple[pl.Expr, str]] = {
    "park_uncovered": (pl.col("park_uncovered"), "park_uncovered"),
    "due_above_scale": (
        pl.col("due_unestablished") & pl.col("above_scale"),
        "due_unestablished",
    ),
    "due_other": (pl.col("due_unestablished") & ~pl.col("above_scale"), "due_unestablished"),
    "instructor_needed": (
        pl.col("instructor_required") & ~pl.col("work_covered"),
        "instructor_required",
    ),
}


def _org_tasks(orgs: pl.DataFrame, subject: str) -> pl.DataFrame:
    selected, flag = ORG_SUBJECTS[subject]
    return orgs.filter(selected).select(
        subject=pl.lit("org"),
        subject_id="org_id",
        name="name",
        kind="kind",
        town="town",
        reason=why_column(flag),
    )


def _park_tasks(parks: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    units = (
        parks.select("entity_id", org_id="unit_org_ids")
        .explode("org_id")
        .join(
            orgs.filter(pl.col("in_scope")).select("org_id", "org_covered", "work_covered"),
            on="org_id",
        )
        .group_by("entity_id")
        .agg(
            units=pl.len(),
            org_covered=pl.col("org_covered").sum(),
            work_covered=pl.col("work_covered").sum(),
        )
    )
    return (
        parks.join(units, on="entity_id")
        .filter(pl.col("org_covered") < pl.col("units"))
        .select(
            subject=pl.lit("park"),
            subject_id="entity_id",
            name="park_name",
            kind=pl.lit(None, dtype=pl.String),
            town="town",
            reason=pl.format(
                "园区纳入统计单位{}家，党组织覆盖{}家、工作覆盖{}家，未达100%（来源：{}）",
                "units",
                "org_covered",
                "work_covered",
                "source",
            ),
        )
    )


def _county_task() -> pl.DataFrame:
    columns = ("subject", "subject_id", "name", "kind", "town", "reason")
    values = ("county", None, "全县", None, None, "县级工作任务，完成后销号")
    return pl.DataFrame(
        {c: [v] for c, v in zip(columns, values, strict=True)},
        schema={c: TASK_SCHEMA[c] for c in columns},
    )


def build_tasks(
    orgs: pl.DataFrame,
    parks: pl.DataFrame,
    policy: Policy,
    as_of: date,
    subjects: set[str] | None = None,
) -> pl.DataFrame:
    """``orgs`` is the screened table with its ``_why_<flag>`` explanation columns;
    ``subjects``: only the calendar's tasks on these subjects (for the parks alone, ``orgs``
    needs only ``org_id``, ``in_scope``, ``org_covered`` and ``work_covered``)."""
    year = policy.calendar.year_for(as_of)
    frames = []
    for task in policy.calendar.tasks:
        if subjects is not None and task.subject not in subjects:
            continue
        if task.subject == "county":
            found = _county_task()
        elif task.subject == "parks":
            found = _park_tasks(parks, orgs)
        else:
            found = _org_tasks(orgs, task.subject)
        deadline = task.deadline(year)
        frames.append(
            found.with_columns(
                task_id=pl.concat_str(
                    pl.lit(task.kind), "subject_id", separator=":", ignore_nulls=True
                ),
                task_kind=pl.lit(task.kind),
                task=pl.lit(task.label),
                deadline=pl.lit(deadline),
                status=pl.lit(OPEN),
                overdue=pl.lit(as_of > deadline),
            )
        )
    if not frames:
        return pl.DataFrame(schema=TASK_SCHEMA)
    return (
        pl.concat([f.select(TASK_SCHEMA.keys()) for f in frames], how="vertical_relaxed")
        .cast(TASK_SCHEMA)
        .sort("deadline", "task_kind", "subject_id", nulls_last=False)
    )
