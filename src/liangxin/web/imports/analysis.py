"""The preview: read an upload, run the engine with everything stored, and list the changes."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction

from liangxin.engine.intake import read_extracts
from liangxin.engine.intake.config import MANIFEST_NAME
from liangxin.engine.schema import Kind
from liangxin.web.closures.sync import stage as stage_closures
from liangxin.web.columnmaps.models import remembered
from liangxin.web.core.bulk import after_bulk_load, insert
from liangxin.web.core.models import DataVersion
from liangxin.web.county import inputs
from liangxin.web.county.diff import diff_county
from liangxin.web.county.models import Change
from liangxin.web.county.proposal import propose, review_rows
from liangxin.web.county.records import conform
from liangxin.web.county.run import county_words, run_county
from liangxin.web.imports.models import ImportBatch, ImportFile, RejectedRow, ValueProblem
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.worker import FINISHED, JobProgress, handler

# The preview's rows found in no register, stored at its commit. Hidden: reading the batch's
# files again (a new analysis) passes over it.
NOT_FOUND = ".not_found.parquet"


def batch_folder(batch: ImportBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / batch.folder_name


def staged_not_found(batch: ImportBatch) -> pl.DataFrame | None:
    """The rows its analysis found in no register (``None``: analysed before they were kept)."""
    path = batch_folder(batch) / NOT_FOUND
    return pl.read_parquet(path) if path.exists() else None


@handler("import.analyse")
def analyse(job: Job, progress: JobProgress) -> dict:
    batch = ImportBatch.objects.get(pk=job.params["batch"])
    base_version = DataVersion.current()
    files = {f.name: f for f in batch.files.all()}
    progress.step("读取上传的文件", total=len(files))
    intake = read_extracts(
        batch_folder(batch),
        _manifest(batch),
        on_file=lambda _: progress.advance(),
        templates=remembered(),
    )
    readable = _file_reports(intake, files)

    progress.step("关联比对、按政策筛查")
    decisions = inputs.decisions_in_effect(batch)
    stored = inputs.stored_rows(exclude_files=readable)
    uploaded = {kind: conform(kind, frame) for kind, frame in intake.records.items()}
    outcome = run_county(_together(stored.frames, uploaded), inputs.overrides(decisions))
    review = review_rows(outcome, inputs.decided_pairs(decisions))
    progress.step("与已有数据对比")
    with transaction.atomic():
        batch.changes.all().delete()
        counts = diff_county(propose(outcome), stored, partial(_store, batch), uploaded)
        batch.summary = {
            "counts": counts,
            "county": outcome.reconciled.county,
            "county_words": county_words(outcome),
            "rejected": intake.rejects.height,
            "review": len(review),
            "decisions": list(decisions.filter(applied=False).values_list("pk", flat=True)),
        }
        batch.store_review(review)
        outcome.reconciled.not_found.write_parquet(batch_folder(batch) / NOT_FOUND)
        batch.base_version = base_version
        batch.needs_analysis = False
        batch.error = ""
        batch.status = ImportBatch.Status.READY
        batch.save()
        stage_closures(batch, outcome.screened.tasks)
    changes = sum(n for c in counts.values() for a, n in c.items() if a != "unchanged")
    after_bulk_load(changes, (Change,))  # the preview's pages list them
    return {"changes": changes}


def _together(
    stored: dict[Kind, pl.DataFrame], uploaded: dict[Kind, pl.DataFrame]
) -> dict[Kind, pl.DataFrame]:
    return {
        kind: pl.concat([f for f in (stored.get(kind), uploaded.get(kind)) if f is not None])
        for kind in {*stored, *uploaded}
    }


def _store(batch: ImportBatch, changes: list[Change]) -> None:
    for change in changes:
        change.batch = batch
    insert(Change, changes)


def _manifest(batch: ImportBatch) -> Path | None:
    """The batch's own liangxin.toml, else the one in force (from an earlier import)."""
    own = batch_folder(batch) / MANIFEST_NAME
    if own.exists():
        return own
    current = ImportFile.objects.filter(name=MANIFEST_NAME, current=True).first()
    return Path(current.path) if current else None


def _file_reports(intake, files: dict[str, ImportFile]) -> set[str]:
    """Store each file's reading report, its rejected rows and value problems (a table row
    each); the names of the files read."""
    rejects = intake.rejects.partition_by("source_file", as_dict=True)
    problems = intake.problems.partition_by("source_file", as_dict=True)
    current = {f.name: f.sha256 for f in ImportFile.objects.filter(current=True)}
    readable: set[str] = set()
    manifest = files.get(MANIFEST_NAME)
    if manifest is not None:
        manifest.kind, manifest.report = (
            "",
            {"summary": "清单与表头对照（用于读取本批及以后的文件）"},
        )
        manifest.status = _compare(manifest, current)
        manifest.save(update_fields=["kind", "report", "status"])
    for report in intake.files:
        file = files.get(report.file)
        if file is None:
            continue
        file.kind = report.kind.value if report.kind else ""
        file.report = {
            "summary": report.summary(),
            "accepted": report.accepted,
            "rejected": report.rejected,
            "unknown_headers": report.unknown_headers,
            "columns": [asdict(c) for c in report.columns],  # for the 核对列 page
            "questions": len(report.questions),
            "proposed_kind": str(report.proposed_kind or ""),
            "notes": report.notes,
            "error": report.error,
        }
        _store_rows(file, rejects.get((report.file,)), problems.get((report.file,)))
        if report.error:
            file.status = ImportFile.Status.ERROR
        else:
            readable.add(report.file)
            file.status = _compare(file, current)
        file.save(update_fields=["kind", "report", "status"])
    return readable


def _store_rows(file: ImportFile, rejects, problems) -> None:
    RejectedRow.objects.filter(file=file).delete()
    ValueProblem.objects.filter(file=file).delete()
    if rejects is not None:
        rows = rejects.select("source_sheet", "source_row", "reason").iter_rows()
        insert(
            RejectedRow,
            (RejectedRow(file=file, sheet=s or "", row=r, reason=why) for s, r, why in rows),
        )
    if problems is not None:
        columns = ("source_sheet", "source_row", "column", "value", "problem")
        rows = problems.select(columns).iter_rows()
        insert(
            ValueProblem,
            (
                ValueProblem(
                    file=file, sheet=s or "", row=r, column=c or "", value=v or "", problem=p
                )
                for s, r, c, v, p in rows
            ),
        )


def _compare(file: ImportFile, current: dict[str, str]) -> str:
    if current.get(file.name) == file.sha256:
        return ImportFile.Status.SAME
    return ImportFile.Status.REPLACES if file.name in current else ImportFile.Status.NEW


def _analysis_finished(job: Job) -> None:
    if job.status == Job.Status.FAILED:
        ImportBatch.objects.filter(pk=job.params["batch"]).update(
            status=ImportBatch.Status.FAILED, error=job.error
        )


FINISHED["import.analyse"] = _analysis_finished
