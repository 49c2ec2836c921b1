"""台账.xlsx for a user's scope: the engine's own workbooks, over the organizations the user
may see (the county's whole ledger for county-wide roles)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
from django.conf import settings

from liangxin.engine.build import Writer, write_books
from liangxin.engine.intake import Intake
from liangxin.engine.intake.rows import PROBLEM_SCHEMA, REJECT_SCHEMA
from liangxin.engine.screen import metrics
from liangxin.web.core.scope import Scope
from liangxin.web.county import inputs
from liangxin.web.county.run import run_county
from liangxin.web.imports.models import ValueProblem
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.worker import JobError, JobProgress, handler
from liangxin.web.orgs.models import Org

LEDGER = "台账.xlsx"


def ledger_folder(job: Job) -> Path:
    return Path(settings.MEDIA_ROOT) / "ledgers" / str(job.pk)


@handler("ledger")
def build_ledger(job: Job, progress: JobProgress) -> dict:
    user = job.created_by
    if user is None:
        raise JobError("发起人已不存在")
    progress.step("关联比对、按政策筛查")
    decisions = inputs.decisions_in_effect()
    outcome = run_county(inputs.stored_rows().frames, inputs.overrides(decisions))
    visible = set(Org.objects.restrict(user).values_list("org_id", flat=True))
    progress.step("写出台账")
    scoped = _scoped(outcome.screened, visible, Scope.of(user).everything)
    reconciled = dataclasses.replace(
        outcome.reconciled,
        # a pair only when both sides are in scope (docs/security.md)
        review=outcome.reconciled.review.filter(
            pl.col("org_id").is_in(list(visible)) & pl.col("candidate_org_id").is_in(list(visible))
        ),
        not_found=_not_found(outcome.reconciled.not_found, visible, Scope.of(user).everything),
    )
    folder = ledger_folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    intake = Intake({}, pl.DataFrame(schema=REJECT_SCHEMA), _problems(outcome, visible), [])
    write_books(intake, reconciled, scoped, metrics(scoped), None, Writer(folder))
    return {"file": LEDGER, "orgs": scoped.orgs.height}


def _scoped(screened, visible: set[str], everything: bool):
    """Only the organizations in scope, and their tasks (a 园区's by its 镇街)."""
    if everything:
        return screened
    orgs = screened.orgs.filter(pl.col("org_id").is_in(list(visible)))
    towns = orgs["town"].drop_nulls().unique().to_list()
    subject = pl.col("subject")
    tasks = screened.tasks.filter(
        ((subject == "org") & pl.col("subject_id").is_in(list(visible)))
        | ((subject == "park") & pl.col("town").is_in(towns))
    )
    return dataclasses.replace(screened, orgs=orgs, tasks=tasks)


def _not_found(not_found: pl.DataFrame, visible: set[str], everything: bool) -> pl.DataFrame:
    """The rows found in no register that became organizations in scope; their closest
    registered names may lie in any 镇街, so only county-wide users see them."""
    if everything:
        return not_found
    return not_found.filter(pl.col("org_id").is_in(list(visible))).with_columns(closest=pl.lit(""))


def _problems(outcome, visible: set[str]) -> pl.DataFrame:
    """The data problems of the source rows that belong to organizations in scope."""
    links = outcome.reconciled.links.filter(pl.col("org_id").is_in(list(visible)))
    rows = ValueProblem.objects.filter(file__current=True).values_list(
        "file__name", "sheet", "row", "column", "value", "problem"
    )
    problems = pl.DataFrame(list(rows), schema=PROBLEM_SCHEMA, orient="row")
    return problems.join(
        links.select("source_file", "source_sheet", "source_row"),
        on=["source_file", "source_sheet", "source_row"],
        how="semi",
    ).sort("source_file", "source_sheet", "source_row")
