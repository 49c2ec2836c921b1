"""Checking the audit log's chain (``chain``) end to end, and purging records older than the
retention period so that the chain stays verifiable from its new base."""

from __future__ import annotations

import datetime
import hmac
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from liangxin.web.audit.actions import Action, log
from liangxin.web.audit.chain import compute_mac
from liangxin.web.audit.models import AuditHead, AuditLog, AuditPlace, head_for_update


@dataclass
class Problem:
    seq: int | None
    record_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"第 {self.seq} 条" if self.seq is not None else f"编号 {self.record_id}"
        return f"{where}：{self.message}"


@dataclass
class Report:
    checked: int
    head_seq: int
    head_mac: str
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _records() -> Iterator:
    yield from AuditLog.objects.order_by("seq", "pk").iterator(chunk_size=2000)


def verify() -> Report:
    """Recompute the chain from the base; every break is a problem (``[]`` if intact)."""
    head = AuditHead.objects.filter(pk=1).first() or AuditHead(pk=1)
    problems: list[Problem] = []
    expected_seq, previous = head.base_seq + 1, head.base_mac
    checked = 0
    for record in _records():
        checked += 1
        if record.seq is None:
            problems.append(Problem(None, record.pk, "没有序号（未经系统写入）"))
            continue
        if record.seq != expected_seq:
            if record.seq > expected_seq:
                missing = (
                    f"{expected_seq}"
                    if record.seq == expected_seq + 1
                    else (f"{expected_seq}–{record.seq - 1}")
                )
                problems.append(
                    Problem(record.seq, record.pk, f"之前缺少第 {missing} 条（被删除）")
                )
            else:
                problems.append(Problem(record.seq, record.pk, "序号重复"))
        if not hmac.compare_digest(compute_mac(previous, record), record.mac or ""):
            problems.append(Problem(record.seq, record.pk, "内容与校验码不符（被修改）"))
        expected_seq, previous = record.seq + 1, record.mac or ""
    if expected_seq - 1 != head.seq or (head.seq > head.base_seq and previous != head.mac):
        problems.append(
            Problem(
                head.seq,
                None,
                f"最新记录应为第 {head.seq} 条，实际到第 {expected_seq - 1} 条（末尾被删除或改动）",
            )
        )
    return Report(checked, head.seq, head.mac, problems)


def purge(actor=None, now: datetime.datetime | None = None) -> int:
    """Delete the oldest records older than ``LIANGXIN_AUDIT_RETENTION_DAYS``; audited.

    Only a prefix of the chain goes (the chain stays verifiable from the new base), and the
    database itself refuses to delete anything younger than 180 days."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.LIANGXIN_AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        head = head_for_update()
        first_young = (
            AuditLog.objects.filter(time__gte=cutoff)
            .order_by("seq")
            .values_list("seq", flat=True)
            .first()
        )
        last = head.seq if first_young is None else first_young - 1
        doomed = AuditLog.objects.filter(seq__gt=head.base_seq, seq__lte=last)
        tail = doomed.order_by("-seq").first()
        if tail is None:
            return 0
        count = doomed.count()
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {AuditLog._meta.db_table} WHERE seq > %s AND seq <= %s",
                [head.base_seq, last],
            )
        AuditPlace.objects.filter(seq__lte=last).delete()
        head.base_seq, head.base_mac = tail.seq, tail.mac
        head.save(update_fields=["base_seq", "base_mac"])
    log(
        Action.DELETE,
        actor,
        object_type="audit.auditlog",
        object_repr="审计日志",
        note=f"清理超过保存期限（{settings.LIANGXIN_AUDIT_RETENTION_DAYS}天）的审计记录 {count} 条，"
        f"第 {tail.seq} 条及以前",
    )
    return count
