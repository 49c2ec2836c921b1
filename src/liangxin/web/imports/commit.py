"""Commit a preview in one transaction; re-screen after edits and decisions."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from liangxin.web.audit.actions import Action, log
from liangxin.web.closures.sync import sync_staged as sync_closures
from liangxin.web.core.bulk import after_bulk_load
from liangxin.web.core.models import DataVersion
from liangxin.web.county.apply import (
    WRITTEN,
    apply_changes,
    of_batch,
    replace_not_found,
    replace_review,
)
from liangxin.web.county.models import Change, CountyWords
from liangxin.web.county.specs import SPECS
from liangxin.web.imports.analysis import staged_not_found
from liangxin.web.imports.models import ImportBatch, ImportFile
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.worker import FINISHED, JobError, JobProgress, handler
from liangxin.web.review.models import MatchDecision

STALE = "数据在预览之后已有变化（其他导入或修改），请重新分析后再提交"


@handler("import.commit")
def commit(job: Job, progress: JobProgress) -> dict:
    progress.step("写入数据库")
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=job.params["batch"])
        if batch.status == ImportBatch.Status.COMMITTED:
            return {"already": True}  # a repeated run changes nothing
        if not batch.can_commit and batch.status != ImportBatch.Status.COMMITTING:
            raise JobError("该批导入当前不能提交")
        if batch.file_errors:
            raise JobError("有文件无法读取，请修正后重新上传")
        if DataVersion.current() != batch.base_version:
            raise JobError(STALE)
        user, note = batch.created_by, f"{batch}提交"
        files = {
            f.name: f.pk
            for f in batch.files.exclude(
                status__in=[ImportFile.Status.SAME, ImportFile.Status.ERROR]
            )
        }
        apply_changes(of_batch(batch), user, note, batch.summary.get("county", ""), files)
        for name in files:
            ImportFile.objects.filter(name=name, current=True).update(current=False)
        ImportFile.objects.filter(pk__in=files.values()).update(current=True)
        MatchDecision.objects.filter(pk__in=batch.summary.get("decisions", [])).update(
            applied=True, batch=batch
        )
        replace_review(batch.review)
        not_found = staged_not_found(batch)
        if not_found is not None:
            replace_not_found(not_found)
        CountyWords.store(batch.summary.get("county_words"))
        sync_closures(batch, user, note)
        DataVersion.bump()
        batch.status = ImportBatch.Status.COMMITTED
        batch.committed_at = timezone.now()
        batch.save(update_fields=["status", "committed_at"])
        log(Action.IMPORT_COMMIT, user, batch, after=counts_in_words(batch.summary), note=note)
    changes = batch.changes.count()
    after_bulk_load(changes, WRITTEN)
    return {"changes": changes}


def _commit_finished(job: Job) -> None:
    if job.status != Job.Status.FAILED:
        return
    # One conditional UPDATE, not read-then-save: a job failed as stale (``fail_stale``) may
    # still be committing in a live worker; the UPDATE waits for its row lock and then skips a
    # batch that has been committed meanwhile instead of handing it back as READY.
    fields = {"status": ImportBatch.Status.READY, "error": job.error}
    if job.error == STALE:
        fields["needs_analysis"] = True
    ImportBatch.objects.filter(pk=job.params["batch"]).exclude(
        status=ImportBatch.Status.COMMITTED
    ).update(**fields)


FINISHED["import.commit"] = _commit_finished


def counts_in_words(summary: dict) -> dict[str, str]:
    """The batch's counts as the audit log shows them: “单位：新增 31，更新 0，移除 0”."""
    counts = summary.get("counts", {})
    return {
        spec.label: "，".join(
            f"{action.label} {counts[spec.name].get(action.value, 0)}" for action in Change.Action
        )
        for spec in SPECS
        if spec.name in counts
    }
