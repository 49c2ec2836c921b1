"""A worker process killed (SIGKILL) in the middle of an import commit leaves the stored data
exactly as before, and committing again afterwards gives what an uninterrupted commit gives.

The commit runs in a separate OS process, a real worker (``claim_next`` + ``run``) against this
run's test database. To kill it at a known point without a hook in the application, the child
wraps ``commit.sync_closures`` (called after every org, source record, file and review row of the
commit is written, inside the same transaction): once it has run, the child reports that it is
there and sleeps. The parent checks on the database itself that the child holds an open write
transaction, then kills it with SIGKILL.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from web_county import SEED, import_files, make_user

from liangxin.synth import generate
from liangxin.web.audit.models import AuditLog
from liangxin.web.imports.actions import do_commit
from liangxin.web.imports.models import ImportBatch
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.worker import STALE_AFTER, enqueue, fail_stale
from liangxin.web.ops.backup import database_digests
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 120  # seconds: an upper bound for a busy machine, not a timing check

CHILD = r"""
import json, os, sys, time

args = json.loads(sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = "liangxin.web.settings_test"
from django.conf import settings

settings.DATABASES["default"]["NAME"] = args["db"]  # the parent's test database
settings.LIANGXIN_JOBS = "external"
import django

django.setup()
from django.db import connection

from liangxin.web.imports import commit
from liangxin.web.jobs import worker

if args["pause"]:
    real = commit.sync_closures

    def sync_then_wait(*a, **kw):
        real(*a, **kw)
        backend = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
        with open(args["marker"] + ".tmp", "w") as out:
            out.write(str(backend))
        os.replace(args["marker"] + ".tmp", args["marker"])
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and not (args["go"] and os.path.exists(args["go"])):
            time.sleep(0.05)  # killed here, or let go on by the parent

    commit.sync_closures = sync_then_wait
pk = worker.claim_next()
assert pk == args["task"], (pk, args["task"])
worker.run(pk)
"""


def worker_process(task: Job, marker=None, go=None) -> subprocess.Popen:
    args = {
        "db": settings.DATABASES["default"]["NAME"],
        "task": task.pk,
        "pause": marker is not None,
        "marker": str(marker or ""),
        "go": str(go or ""),
    }
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liangxin.web.settings_test"}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(args)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, what: str, child: subprocess.Popen | None = None):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if (value := condition()) is not None:
            return value
        if child is not None and child.poll() is not None:
            pytest.fail(f"the worker ended before {what}:\n{child.communicate()[1]}")
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def all_tables() -> dict[str, dict]:
    """Row count and SHA-256 of every table (the backup's checksums), on a connection of its own."""
    return database_digests(settings.DATABASES["default"])


def content() -> dict:
    """What a commit writes, without surrogate keys (a rolled-back PostgreSQL transaction still
    advances sequences), without times of day (``*_at``) and without the tables that record when
    and by which job (jobs, batches, versions, the audit chain)."""
    volatile = {"tasks_job", "imports_importbatch", "imports_dataversion"}
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in volatile or table.startswith(("django_", "auth_", "audit_")):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            names = [c[0] for c in cursor.description]
            rows = sorted(
                repr(
                    tuple(
                        v
                        for n, v in zip(names, row, strict=True)
                        if n != "id" and not n.endswith("_at")
                    )
                )
                for row in cursor.fetchall()
            )
            out[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


def holds_write_transaction(backend: int) -> bool:
    """Whether the child's commit transaction is open (and so has not committed)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT state, xact_start IS NOT NULL FROM pg_stat_activity WHERE pid = %s",
                [backend],
            )
            row = cursor.fetchone()
        return row is not None and row[0] == "idle in transaction" and row[1]
    with contextlib.closing(
        sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0)
    ) as probe:
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # "database is locked": the child writes
            return "locked" in str(exc)
        probe.execute("ROLLBACK")
        return False


def rolled_back(backend: int) -> bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend])
            return cursor.fetchone()[0] == 0
    return not holds_write_transaction(backend)


@pytest.fixture
def preview(tmp_path):
    """A small county committed, then a preview of a file that updates orgs and adds rows."""
    call_command("flush", interactive=False, verbosity=0)
    admin = make_user("admin", role="county_admin")
    generate(tmp_path / "county", seed=SEED, n_orgs=120)
    import_files(admin, tmp_path / "county")
    orgs = list(Org.objects.exclude(credit_code=None).filter(in_scope=True).order_by("org_id"))
    path = tmp_path / "2020年参保单位更新.csv"
    lines = ["统一社会信用代码,单位名称,参保人数,参保状态"]
    lines += [f"{o.credit_code},{o.name},88,正常参保" for o in orgs[:40]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch = import_files(admin, path, commit=False)
    assert batch.summary["counts"]["org"]["updated"] >= 1
    assert batch.summary["counts"]["record"]["new"] == 40
    return batch, admin


def uninterrupted(batch: ImportBatch, admin) -> dict:
    """The result of a plain commit of the batch, rolled back again."""

    class Undo(Exception):
        pass

    with contextlib.suppress(Undo), transaction.atomic():
        do_commit(batch, admin)  # tasks run inline in the tests
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.COMMITTED, batch.error
        result = content()
        result["audit entries"] = AuditLog.objects.count()
        raise Undo
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    return result


def test_a_worker_killed_mid_commit_leaves_the_data_as_before_and_a_rerun_commits(
    preview, tmp_path
):
    batch, admin = preview
    expected = uninterrupted(batch, admin)

    with override_settings(LIANGXIN_JOBS="external"):
        do_commit(batch, admin)
    batch.refresh_from_db()
    task = batch.job
    assert batch.status == ImportBatch.Status.COMMITTING and task.status == Job.Status.QUEUED
    before = all_tables()

    marker = tmp_path / "in-commit"
    child = worker_process(task, marker)
    try:
        backend = wait_for(
            lambda: int(marker.read_text()) if marker.exists() else None,
            "the commit wrote its rows",
            child,
        )
        assert holds_write_transaction(backend), "the commit transaction is open"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(WAIT) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    # The database has noticed (PostgreSQL: the backend is gone; SQLite: the lock is free).
    wait_for(lambda: True if rolled_back(backend) else None, "the rollback")

    after = all_tables()
    task.refresh_from_db()
    assert task.status == Job.Status.RUNNING, "claimed by the worker that died"
    del before["tasks_job"], after["tasks_job"]
    assert after == before, "every table, row by row, as before the commit"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTING and batch.committed_at is None

    # The worker's stale check fails the task and gives the batch back, once, with a reason.
    Job.objects.filter(pk=task.pk).update(
        heartbeat=task.heartbeat - STALE_AFTER - timedelta(minutes=1)
    )
    assert fail_stale() == 1
    assert fail_stale() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY and "中断" in batch.error
    assert batch.can_commit

    # Committing again, in another worker process, gives what an uninterrupted commit gives.
    with override_settings(LIANGXIN_JOBS="external"):
        do_commit(batch, admin)
    batch.refresh_from_db()
    child = worker_process(batch.job)
    out, err = child.communicate(timeout=WAIT)
    assert child.returncode == 0, err
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED and batch.job.status == "done"
    assert batch.job.result == {"changes": batch.changes.count()}
    assert {**content(), "audit entries": AuditLog.objects.count()} == expected

    # Running the commit task once more (a retried task) changes nothing.
    committed = all_tables()
    again = enqueue("import.commit", "重复提交", admin, batch=batch.pk)
    assert again.status == Job.Status.DONE and again.result == {"already": True}
    now = all_tables()
    del committed["tasks_job"], now["tasks_job"]
    assert now == committed


def test_a_slow_commit_failed_as_stale_still_ends_committed(preview, tmp_path, monkeypatch):
    """``fail_stale`` may fail a commit that is only slow (its heartbeat cannot advance inside
    the transaction). Handing the batch back must wait for the commit and then leave a committed
    batch committed, not reset it to READY after the fact."""
    batch, admin = preview
    with override_settings(LIANGXIN_JOBS="external"):
        do_commit(batch, admin)
    batch.refresh_from_db()
    task = batch.job
    marker, go = tmp_path / "in-commit", tmp_path / "go-on"
    child = worker_process(task, marker, go)
    try:
        wait_for(lambda: True if marker.exists() else None, "the commit wrote its rows", child)
        # (SQLite: the parent cannot write while the child's transaction is open, so the task
        # is made stale by the cut-off instead of by an older heartbeat.)
        monkeypatch.setattr("liangxin.web.jobs.worker.STALE_AFTER", timedelta(0))
        failed: list[int] = []
        checker = threading.Thread(target=lambda: failed.append(stale_check()))
        checker.start()
        time.sleep(1)  # the check has read the batch and waits for the commit's lock
        go.touch()
        assert child.wait(WAIT) == 0, child.communicate()[1]
        checker.join(WAIT)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    assert failed == [1]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED and batch.committed_at is not None
    if connection.vendor == "postgresql":  # SQLite: the two task updates may come either way
        task.refresh_from_db()
        assert task.status == Job.Status.DONE


def stale_check() -> int:
    try:
        return fail_stale()
    finally:
        connection.close()  # this thread's connection
