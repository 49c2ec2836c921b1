"""安全审计 (docs/security.md §3): the audit log is append-only and chained by HMAC-SHA-256; verify finds
a record edited, deleted or inserted with raw SQL, behind the application's back."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from liangxin.web.audit.actions import Action, log
from liangxin.web.audit.chain import compute_mac
from liangxin.web.audit.integrity import purge, verify
from liangxin.web.audit.models import AppendOnlyError, AuditHead, AuditLog

pytestmark = pytest.mark.django_db

TABLE = AuditLog._meta.db_table


def sql(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def without_triggers():
    """What someone with direct database access could do: switch the protection off."""
    if connection.vendor == "postgresql":
        sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditlog_append_only")
    else:
        sql("DROP TRIGGER audit_auditlog_no_update")


def middle() -> AuditLog:
    records = AuditLog.objects.order_by("seq")
    return records[records.count() // 2]


def test_the_log_of_the_imported_county_verifies(capsys):
    report = verify()
    assert report.ok and report.checked == AuditLog.objects.count() > 100
    assert report.head_seq == AuditLog.objects.order_by("-seq").first().seq
    call_command("audit", "verify")
    assert "审计日志完整" in capsys.readouterr().out


def test_records_are_numbered_and_sealed_as_they_are_written(users):
    head = AuditHead.objects.get(pk=1)
    entry = log(Action.EXPORT, users["admin"], note="导出测试")
    assert entry.seq == head.seq + 1
    assert entry.mac == compute_mac(head.mac, entry) != head.mac
    AuditLog.objects.bulk_create(
        [AuditLog(action=Action.EXPORT, note=f"批量{i}") for i in range(3)]
    )
    assert list(AuditLog.objects.order_by("-seq").values_list("seq", flat=True)[:4]) == [
        entry.seq + 3,
        entry.seq + 2,
        entry.seq + 1,
        entry.seq,
    ]
    assert verify().ok


def test_the_orm_cannot_change_records_in_bulk_either():
    record = middle()
    record.note = "篡改"
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.bulk_update([record], ["note"])


def test_the_database_refuses_raw_updates_and_deletes():
    record = middle()
    with pytest.raises(DatabaseError), transaction.atomic():
        sql(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["篡改", record.pk])
    if connection.vendor == "postgresql":  # SQLite: the chain alone (a flush must delete)
        with pytest.raises(DatabaseError), transaction.atomic():
            sql(f"DELETE FROM {TABLE} WHERE id = %s", [record.pk])
    assert AuditLog.objects.get(pk=record.pk).note == record.note


def test_an_edited_record_is_found():
    record = middle()
    without_triggers()
    sql(f"UPDATE {TABLE} SET note = %s WHERE id = %s", [record.note + "（已改）", record.pk])
    report = verify()
    assert [(p.seq, p.message) for p in report.problems] == [
        (record.seq, "内容与校验码不符（被修改）")
    ]
    with pytest.raises(CommandError, match="发现 1 处问题"):
        call_command("audit", "verify")


def test_an_edit_with_a_recomputed_mac_without_the_key_is_found():
    record = middle()
    previous = AuditLog.objects.get(seq=record.seq - 1)
    without_triggers()
    record.object_repr = "伪造"
    with override_settings(LIANGXIN_AUDIT_KEY="a guessed key"):
        forged = compute_mac(previous.mac, record)
    sql(
        f"UPDATE {TABLE} SET object_repr = %s, mac = %s WHERE id = %s",
        ["伪造", forged, record.pk],
    )
    problems = verify().problems
    assert problems and problems[0].seq == record.seq


def test_a_deleted_record_is_found():
    record = middle()
    without_triggers()
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [record.pk])
    messages = [(p.seq, p.message) for p in verify().problems]
    assert (record.seq + 1, f"之前缺少第 {record.seq} 条（被删除）") in messages


def test_deleting_the_newest_records_is_found():
    last = AuditLog.objects.order_by("-seq").first()
    without_triggers()
    sql(f"DELETE FROM {TABLE} WHERE seq >= %s", [last.seq - 1])
    problems = verify().problems
    assert len(problems) == 1 and "末尾被删除" in problems[0].message


def test_a_record_inserted_behind_the_applications_back_is_found():
    sql(
        f"INSERT INTO {TABLE} (time, username, request_id, action, object_type, object_id, "
        "object_repr, region_path, note, mac) VALUES (%s, '', '', 'login', '', '', '', '', "
        "'伪造', '')",
        [timezone.now()],
    )
    assert [p.message for p in verify().problems] == ["没有序号（未经系统写入）"]


def test_a_different_key_fails_verification():
    with override_settings(LIANGXIN_AUDIT_KEY="another key"):
        assert not verify().ok


def test_purge_removes_only_records_past_retention_and_keeps_the_chain_verifiable():
    old = AuditLog.objects.order_by("-seq").first()
    a_year_later = old.time + datetime.timedelta(days=365, microseconds=1)
    if connection.vendor == "postgresql":  # the database refuses deleting young records
        with pytest.raises(DatabaseError), transaction.atomic():
            purge(now=a_year_later)
        without_triggers()  # below: as if a year had passed
    AuditLog(
        time=old.time + datetime.timedelta(days=1), action=Action.EXPORT, note="保存期内"
    ).save()
    count = purge(now=a_year_later)
    assert count == old.seq and not AuditLog.objects.filter(seq__lte=old.seq).exists()
    assert AuditLog.objects.filter(note="保存期内").exists()
    note = AuditLog.objects.order_by("-seq").first().note
    assert f"审计记录 {count} 条" in note and "365天" in note
    assert verify().ok


def settings_error(data_dir: Path, **env) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LIANGXIN_")}
    environment.update(LIANGXIN_SECRET_KEY="k", LIANGXIN_DATA_DIR=str(data_dir))
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", "import liangxin.web.settings"],
        env=environment,
        capture_output=True,
        text=True,
    )
    return result.stderr


def test_the_key_and_retention_come_from_the_environment_with_safe_limits(tmp_path):
    # unset: a random key made once in the data directory, for the owner only
    assert settings_error(tmp_path) == ""
    made = tmp_path / "audit.key"
    key = made.read_text()
    assert made.stat().st_mode & 0o077 == 0 and len(key.strip()) >= 50
    assert settings_error(tmp_path) == "" and made.read_text() == key  # kept, not remade
    other = tmp_path / "other"
    assert settings_error(other, LIANGXIN_AUDIT_KEY="x") == ""
    assert not (other / "audit.key").exists()
    assert "不得少于180天" in settings_error(
        tmp_path, LIANGXIN_AUDIT_KEY="x", LIANGXIN_AUDIT_RETENTION_DAYS="179"
    )
    assert (
        settings_error(tmp_path, LIANGXIN_AUDIT_KEY="x", LIANGXIN_AUDIT_RETENTION_DAYS="180") == ""
    )
