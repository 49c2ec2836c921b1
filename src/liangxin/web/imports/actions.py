"""State changes of an import batch. Each saves, audits, and queues the work it needs."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from django.db import transaction

from liangxin.web.audit.actions import Action, log
from liangxin.web.core.permissions import IMPORT, require
from liangxin.web.imports.analysis import batch_folder
from liangxin.web.imports.limits import Refused, check_file
from liangxin.web.imports.models import ImportBatch, ImportFile
from liangxin.web.jobs.worker import enqueue


class UploadError(ValueError):
    pass


def clean_name(name: str) -> str:
    """The name a department gave the file, without any folders."""
    base = Path(name.replace("\\", "/")).name.strip()
    if not base or base.startswith("."):
        raise UploadError(f"文件名“{name}”无效")
    return base


def do_upload(user, uploads, note: str = "") -> ImportBatch:
    """Store the uploaded files as a new batch and start its analysis; refuse the whole batch
    if a file would cost more than the upload limits allow (``limits``)."""
    require(user, IMPORT)
    names = [clean_name(u.name) for u in uploads]
    if not names:
        raise UploadError("请选择要导入的文件")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise UploadError(f"文件重名：{'、'.join(duplicated)}")
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            created_by=user, note=note, status=ImportBatch.Status.ANALYSING
        )
        folder = batch_folder(batch)
        # A folder left by an upload whose transaction failed (ids can be reused) is stale.
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, upload in zip(names, uploads, strict=True):
            digest, size = hashlib.sha256(), 0
            with open(folder / name, "wb") as out:
                for chunk in upload.chunks():
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            try:
                check_file(folder / name, name)
            except Refused as exc:
                shutil.rmtree(folder, ignore_errors=True)
                raise UploadError(str(exc)) from None
            ImportFile.objects.create(
                batch=batch,
                name=name,
                path=str(folder / name),
                size=size,
                sha256=digest.hexdigest(),
            )
        log(Action.CREATE, user, batch, after={"files": names, "note": note})
    _analyse(batch, user)
    return batch


def _analyse(batch: ImportBatch, user) -> None:
    job = enqueue("import.analyse", f"分析{batch}", user, batch=batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)


def do_reanalyse(batch: ImportBatch, user) -> None:
    require(user, IMPORT)
    if batch.status not in (ImportBatch.Status.READY, ImportBatch.Status.FAILED):
        raise UploadError("该批导入当前不能重新分析")
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.ANALYSING, error="")
    log(Action.UPDATE, user, batch, before={"status": batch.status}, after={"status": "analysing"})
    _analyse(batch, user)


def do_commit(batch: ImportBatch, user) -> None:
    require(user, IMPORT)
    if not batch.can_commit:
        raise UploadError("该批导入当前不能提交（请先处理文件错误或重新分析）")
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING, error="")
    job = enqueue("import.commit", f"提交{batch}", user, batch=batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)


def do_discard(batch: ImportBatch, user) -> None:
    require(user, IMPORT)
    if batch.status in (ImportBatch.Status.COMMITTED, ImportBatch.Status.COMMITTING):
        raise UploadError("已提交的导入不能放弃")
    before = batch.status
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DISCARDED)
    batch.changes.all().delete()
    log(Action.UPDATE, user, batch, before={"status": before}, after={"status": "discarded"})
