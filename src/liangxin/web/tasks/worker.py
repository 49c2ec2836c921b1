"""Run background tasks without Redis or Celery: the database is the queue.

``enqueue`` stores a task; a worker claims queued tasks one at a time (an atomic
``UPDATE … WHERE status = 'queued'``), runs the handler registered for its kind and records
progress, result or error. The embedded default is a daemon thread in the web process
(``LIANGXIN_TASKS=thread``); ``liangxin web worker`` runs the same loop in its own process;
tests run tasks at once (``inline``). A task left ``running`` by a dead worker (no heartbeat
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
from liangxin.web.tasks.models import Task

log = logging.getLogger("liangxin.tasks")
STALE_AFTER = timedelta(minutes=10)
Handler = Callable[[Task, "TaskProgress"], dict | None]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


class TaskError(Exception):
    """A failure to report to the user as is (Chinese text)."""


class TaskProgress:
    """The engine's ``Progress`` protocol, written to the task row (at most ~100 writes)."""

    def __init__(self, task: Task):
        self.task = task

    def step(self, label: str, total: int | None = None) -> None:
        self.task.step, self.task.done, self.task.total = label, 0, total or 0
        self._save()

    def advance(self, amount: int = 1) -> None:
        self.task.done += amount
        if self.task.total <= 100 or self.task.done % max(1, self.task.total // 100) == 0:
            self._save()

    def close(self) -> None:
        self._save()

    def _save(self) -> None:
        self.task.heartbeat = timezone.now()
        Task.objects.filter(pk=self.task.pk).update(
            step=self.task.step,
            done=self.task.done,
            total=self.task.total,
            heartbeat=self.task.heartbeat,
        )


def enqueue(kind: str, label: str, user=None, **params) -> Task:
    if kind not in HANDLERS:
        raise KeyError(f"no handler for task kind {kind!r}")
    task = Task.objects.create(
        kind=kind,
        label=label,
        params=params,
        created_by=user if user is not None and user.is_authenticated else None,
        request_id=current_request_id(),
    )
    mode = settings.LIANGXIN_TASKS
    if mode == "inline":
        run(task.pk)
        task.refresh_from_db()
    elif mode == "thread":
        transaction.on_commit(ensure_thread)
    return task


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_next() -> int | None:
    """Claim the oldest queued task for this worker; None when there is none."""
    for pk in (
        Task.objects.filter(status=Task.Status.QUEUED)
        .order_by("id")
        .values_list("pk", flat=True)[:5]
    ):
        now = timezone.now()
        claimed = Task.objects.filter(pk=pk, status=Task.Status.QUEUED).update(
            status=Task.Status.RUNNING, started_at=now, heartbeat=now, worker=worker_name()
        )
        if claimed:
            return pk
    return None


def unexpected_failure(pk: int) -> str:
    return f"任务出错（任务编号 {pk}），详细原因已记入系统日志，请联系系统管理员"


def run(pk: int) -> None:
    """Run one claimed (or, inline, just created) task to its end."""
    task = Task.objects.get(pk=pk)
    if task.status == Task.Status.QUEUED:
        now = timezone.now()
        Task.objects.filter(pk=pk).update(
            status=Task.Status.RUNNING, started_at=now, heartbeat=now, worker=worker_name()
        )
        task.refresh_from_db()
    token = set_request_id(task.request_id)
    try:
        result = HANDLERS[task.kind](task, TaskProgress(task))
        _finish(task, Task.Status.DONE, result=result or {})
    except TaskError as exc:
        _finish(task, Task.Status.FAILED, error=str(exc))
    except Exception:  # the user sees that it failed; the log keeps the (English) details
        log.error("task %s (%s) failed:\n%s", task.pk, task.kind, traceback.format_exc())
        _finish(task, Task.Status.FAILED, error=unexpected_failure(task.pk))
    finally:
        reset_request_id(token)


def _finish(task: Task, status: str, result: dict | None = None, error: str = "") -> None:
    Task.objects.filter(pk=task.pk).update(
        status=status, result=result or {}, error=error, finished_at=timezone.now()
    )
    task.refresh_from_db()
    hook = FINISHED.get(task.kind)
    if hook is not None:
        hook(task)


# kind → called after a task of that kind ends (e.g. to mark its import batch failed)
FINISHED: dict[str, Callable[[Task], None]] = {}


def drain() -> int:
    """Run every queued task in this thread (commands that set things up before serving)."""
    count = 0
    while (pk := claim_next()) is not None:
        run(pk)
        count += 1
    return count


def fail_stale() -> int:
    """Tasks whose worker died (no heartbeat for a while) are failed, so nothing waits forever."""
    cutoff = timezone.now() - STALE_AFTER
    stale = list(Task.objects.filter(status=Task.Status.RUNNING, heartbeat__lt=cutoff))
    for task in stale:
        _finish(task, Task.Status.FAILED, error="任务中断（执行任务的进程已停止），请重新发起")
    return len(stale)


def work(stop: threading.Event, poll_seconds: float = 1.0) -> None:
    """The worker loop: run queued tasks until ``stop`` is set."""
    while not stop.is_set():
        close_old_connections()
        try:
            fail_stale()
            pk = claim_next()
        except Exception:
            log.exception("task queue unavailable")
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
                target=work, args=(_stop,), name="liangxin-tasks", daemon=True
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
