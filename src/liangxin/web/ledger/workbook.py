"""台账.xlsx for a user's scope, written from what the last commit or re-screening stored (no
engine run): the engine's own ledger sheets over the organizations the user may see (the
county's whole ledger for county-wide roles)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.conf import settings
from django.db.models import Exists, OuterRef

from liangxin.engine.intake.rows import PROBLEM_SCHEMA
from liangxin.engine.outputs.ledger import ledger_rows, ledger_sheets, write_ledger
from liangxin.engine.outputs.statistics import ranking_table
from liangxin.engine.schema import Kind
from liangxin.engine.screen.metrics import compute_metrics
from liangxin.web.core.policy import as_of, current_policy
from liangxin.web.core.scope import Scope
from liangxin.web.county.stored import StoredCounty, stored_county
from liangxin.web.imports.models import ValueProblem
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.worker import JobError, JobProgress, handler
from liangxin.web.orgs.models import Org
from liangxin.web.regions.models import Region
from liangxin.web.regions.places import UNKNOWN_COUNTY
from liangxin.web.sources.models import SourceRecord

LEDGER = "台账.xlsx"


def ledger_folder(job: Job) -> Path:
    return Path(settings.MEDIA_ROOT) / "ledgers" / str(job.pk)


@handler("ledger")
def build_ledger(job: Job, progress: JobProgress) -> dict:
    user = job.created_by
    if user is None:
        raise JobError("发起人已不存在")
    progress.step("读取已入库的数据")
    everything = Scope.of(user).everything
    day = as_of()
    county = stored_county(user, day)
    tasks = _tasks(county, everything)
    progress.step("写出台账")
    figures = compute_metrics(county.orgs, tasks, day, current_policy().name)
    rows = ledger_rows(
        county.orgs,
        county.entities[Kind.PARTY_ORG],
        county.entities[Kind.INSTRUCTOR],
        county.entities[Kind.PARK],
    )
    sheets = ledger_sheets(
        rows,
        tasks,
        ranking_table(figures),
        _problems(user),
        county.review,
        None,
        _county_name(),
        _not_found(county.not_found, everything),
    )
    folder = ledger_folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    write_ledger(folder / LEDGER, sheets)
    return {"file": LEDGER, "orgs": county.orgs.height}


def _tasks(county: StoredCounty, everything: bool) -> pl.DataFrame:
    """The tasks of the organizations in scope, and of the 园区 in their 镇街."""
    if everything:
        return county.tasks
    towns = county.orgs["town"].drop_nulls().unique().to_list()
    subject = pl.col("subject")
    return county.tasks.filter(
        ((subject == "org") & pl.col("subject_id").is_in(county.orgs["org_id"].implode()))
        | ((subject == "park") & pl.col("town").is_in(towns))
    )


def _not_found(not_found: pl.DataFrame, everything: bool) -> pl.DataFrame:
    """The rows found in no register that became organizations in scope; their closest
    registered names may lie in any 镇街, so only county-wide users see them."""
    return not_found if everything else not_found.with_columns(closest=pl.lit(""))


def _problems(user) -> pl.DataFrame:
    """The data problems of the source rows that belong to organizations in scope."""
    linked = SourceRecord.objects.filter(
        source_file=OuterRef("file__name"),
        source_sheet=OuterRef("sheet"),
        source_row=OuterRef("row"),
        org__in=Org.objects.restrict(user),
    )
    rows = ValueProblem.objects.filter(Exists(linked), file__current=True).values_list(
        "file__name", "sheet", "row", "column", "value", "problem"
    )
    return pl.DataFrame(list(rows), schema=PROBLEM_SCHEMA, orient="row").sort(
        "source_file", "source_sheet", "source_row"
    )


def _county_name() -> str:
    """The county as its organizations' names show it (the region tree's root)."""
    name = Region.objects.filter(parent__isnull=True).values_list("name", flat=True).first()
    return "" if name in (None, UNKNOWN_COUNTY) else name
