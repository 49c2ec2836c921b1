"""Background tasks: DB-backed, claimed once, progress recorded, dead workers detected."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from liangxin.web.jobs.models import Job
from liangxin.web.jobs.worker import (
    STALE_AFTER,
    JobError,
    claim_next,
    enqueue,
    ensure_thread,
    fail_stale,
    handler,
    stop_thread,
)


@handler("test.count")
def _count(task, progress):
    progress.step("数数", total=task.params["n"])
    for _ in range(task.params["n"]):
        progress.advance()
    return {"counted": task.params["n"]}


@handler("test.fail")
def _fail(task, progress):
    if task.params.get("plain"):
        raise ValueError("意外")
    raise JobError("文件无法读取")


@pytest.mark.django_db
def test_a_task_runs_with_progress_and_result(users):
    task = enqueue("test.count", "数数", users["admin"], n=7)
    assert task.status == Job.Status.DONE and task.result == {"counted": 7}
    assert (task.step, task.done, task.total) == ("数数", 7, 7) and task.percent == 100


@pytest.mark.django_db
def test_failures_are_reported_in_chinese(users):
    assert enqueue("test.fail", "失败", users["admin"]).error == "文件无法读取"
    # an unexpected error's (English, maybe a server path) text goes to the log, not the page
    failed = enqueue("test.fail", "失败", users["admin"], plain=True)
    assert (
        failed.error
        == f"任务出错（任务编号 {failed.pk}），详细原因已记入系统日志，请联系系统管理员"
    )


@pytest.mark.django_db
@override_settings(LIANGXIN_JOBS="external")
def test_a_queued_task_is_claimed_once(users):
    task = enqueue("test.count", "数数", users["admin"], n=1)
    assert claim_next() == task.pk
    assert claim_next() is None
    task.refresh_from_db()
    assert task.status == Job.Status.RUNNING and task.worker


@pytest.mark.django_db
def test_a_task_whose_worker_died_is_failed(users):
    old = timezone.now() - STALE_AFTER - timedelta(minutes=1)
    dead = Job.objects.create(kind="test.count", label="x", status="running", heartbeat=old)
    alive = Job.objects.create(
        kind="test.count", label="y", status="running", heartbeat=timezone.now()
    )
    assert fail_stale() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == Job.Status.FAILED and "中断" in dead.error
    assert alive.status == Job.Status.RUNNING


@pytest.mark.django_db
def test_progress_page_reloads_the_page_when_the_task_is_done(client_for, users):
    task = enqueue("test.count", "数数", users["town_a"], n=2)
    response = client_for("town_a").get(f"/jobs/{task.pk}/progress/", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true" and "100%" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@override_settings(LIANGXIN_JOBS="thread")
def test_the_worker_thread_runs_queued_tasks():
    task = enqueue("test.count", "数数", None, n=3)
    deadline = time.monotonic() + 60
    try:
        ensure_thread()
        while time.monotonic() < deadline:
            task.refresh_from_db()
            if task.finished:
                break
            time.sleep(0.2)
    finally:
        stop_thread()
    assert task.status == Job.Status.DONE and task.result == {"counted": 3}
    assert task.worker and threading.current_thread().name != "liangxin-tasks"
