"""Run background jobs without Redis or Celery: the database is the queue.

``enqueue`` stores a job; a worker claims queued jobs one at a time (an atomic
``UPDATE … WHERE status = 'queued'``), runs the handler registered for its kind and records
progress, result or error. The embedded default is a daemon thread in the web process
(``LIANGXIN_JOBS=thread``); ``liangxin web worker`` runs the same loop in its own process;
tests run jobs at once (``inline``). A job left ``running`` by a dead worker (no heartbeat
for ``STALE_AFTER``) is marked failed; handlers are written so that running one again is safe.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from liangxin.web.core.middleware import current_request_id, reset_request_id, set_request_id
from liangxin.web.jobs.models import Job

log = logging.getLogger("liangxin.jobs")
STALE_AFTER = timedelta(minutes=10)
Handler = Callable[[Job, "JobProgress"], dict | None]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


class JobError(Exception):
    """A failure to report to the user as is (Chinese text)."""


class JobProgress:
    """The engine's ``Progress`` protocol, written to the job row (at most ~100 writes)."""

    def __init__(self, job: Job):
        self.job = job

    def step(self, label: str, total: int | None = None) -> None:
        self.job.step, self.job.done, self.job.total = label, 0, total or 0
        self._save()

    def advance(self, amount: int = 1) -> None:
        self.job.done += amount
        if self.job.total <= 100 or self.job.done % max(1, self.job.total // 100) == 0:
            self._save()

    def close(self) -> None:
        self._save()

    def _save(self) -> None:
        self.job.heartbeat = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(
            step=self.job.step,
            done=self.job.done,
            total=self.job.total,
            heartbeat=self.job.heartbeat,
        )


def enqueue(kind: str, label: str, user=None, **params) -> Job:
    if kind not in HANDLERS:
        raise KeyError(f"no handler for job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        label=label,
        params=params,
        created_by=user if user is not None and user.is_authenticated else None,
        request_id=current_request_id(),
    )
    mode = settings.LIANGXIN_JOBS
    if mode == "inline":
        run(job.pk)
        job.refresh_from_db()
    elif mode == "thread":
        transaction.on_commit(ensure_thread)
    return job


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_next() -> int | None:
    """Claim the oldest queued job for this worker; None when there is none."""
    for pk in (
        Job.objects.filter(status=Job.Status.QUEUED).order_by("id").values_list("pk", flat=True)[:5]
    ):
        now = timezone.now()
        claimed = Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=now, heartbeat=now, worker=worker_name()
        )
        if claimed:
            return pk
    return None


def unexpected_failure(pk: int) -> str:
    return f"任务出错（任务编号 {pk}），详细原因已记入系统日志，请联系系统管理员"


def run(pk: int) -> None:
    """Run one claimed (or, inline, just created) job to its end."""
    job = Job.objects.get(pk=pk)
    if job.status == Job.Status.QUEUED:
        now = timezone.now()
        Job.objects.filter(pk=pk).update(
            status=Job.Status.RUNNING, started_at=now, heartbeat=now, worker=worker_name()
        )
        job.refresh_from_db()
    token = set_request_id(job.request_id)
    try:
        result = HANDLERS[job.kind](job, JobProgress(job))
        _finish(job, Job.Status.DONE, result=result or {})
    except JobError as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except Exception:  # the user sees that it failed; the log keeps the (English) details
        log.error("job %s (%s) failed:\n%s", job.pk, job.kind, traceback.format_exc())
        _finish(job, Job.Status.FAILED, error=unexpected_failure(job.pk))
    finally:
        reset_request_id(token)


def _finish(job: Job, status: str, result: dict | None = None, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, result=result or {}, error=error, finished_at=timezone.now()
    )
    job.refresh_from_db()
    hook = FINISHED.get(job.kind)
    if hook is not None:
        hook(job)


# kind → called after a job of that kind ends (e.g. to mark its import batch failed)
FINISHED: dict[str, Callable[[Job], None]] = {}


def drain() -> int:
    """Run every queued job in this thread (commands that set things up before serving)."""
    count = 0
    while (pk := claim_next()) is not None:
        run(pk)
        count += 1
    return count


def fail_stale() -> int:
    """Tasks whose worker died (no heartbeat for a while) are failed, so nothing waits forever."""
    cutoff = timezone.now() - STALE_AFTER
    stale = list(Job.objects.filter(status=Job.Status.RUNNING, heartbeat__lt=cutoff))
    for job in stale:
        _finish(job, Job.Status.FAILED, error="任务中断（执行任务的进程已停止），请重新发起")
    return len(stale)


def work(stop: threading.Event, poll_seconds: float = 1.0) -> None:
    """The worker loop: run queued jobs until ``stop`` is set."""
    while not stop.is_set():
        close_old_connections()
        try:
            fail_stale()
            pk = claim_next()
        except Exception:
            log.exception("job queue unavailable")
            pk = None
        if pk is None:
            _wake.wait(poll_seconds)
            _wake.clear()
            continue
        run(pk)
    connections.close_all()  # this thread's connections; a test database can then be dropped


_thread: threading.Thread | None = None
_thread_lock = threading.Lock()
_wake = threading.Event()
_stop = threading.Event()


def ensure_thread() -> None:
    """Start the in-process worker thread if it is not running, and wake it up."""
    global _thread
    with _thread_lock:
        if _thread is None or not _thread.is_alive():
            _stop.clear()
            _thread = threading.Thread(
                target=work, args=(_stop,), name="liangxin-jobs", daemon=True
            )
            _thread.start()
    _wake.set()


def stop_thread(timeout: float = 30) -> None:
    global _thread
    _stop.set()
    _wake.set()
    if _thread is not None:
        _thread.join(timeout)
        _thread = None
