"""Changing 销号 tasks by hand: the plan, waivers, marking a county-level task done. Every change
is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from liangxin.web.audit.actions import Action, entry, log, log_many
from liangxin.web.closures.models import Closure
from liangxin.web.core.permissions import (
    COMPLETE_COUNTY_TASK,
    PLAN_CLOSURE,
    RESYNC_CLOSURES,
    WAIVE_CLOSURE,
    require,
)
from liangxin.web.jobs.rescreen import request_rescreen


class ClosureError(ValueError):
    """A refused change; the message is shown to the user."""


def do_save_plan(user, closure: Closure, plan: str) -> Closure:
    require(user, PLAN_CLOSURE, [closure])
    plan = plan.strip()
    if plan == closure.plan:
        return closure
    with transaction.atomic():
        before = {"plan": closure.plan}
        closure.plan = plan
        closure.save(update_fields=["plan"])
        log(Action.UPDATE, user, closure, before=before, after={"plan": plan},
            note=f"修改{closure.plan_label}")  # fmt: skip
    return closure


def do_waive(user, closures: list[Closure], reason: str) -> int:
    """A county admin waives open tasks; the reason is required and kept."""
    require(user, WAIVE_CLOSURE, closures)
    reason = reason.strip()
    if not reason:
        raise ClosureError("豁免销号任务必须填写理由")
    now = timezone.now()
    targets = [c for c in closures if c.status == Closure.Status.OPEN]
    audit = []
    for closure in targets:
        closure.status = Closure.Status.WAIVED
        closure.waiver_reason = reason
        closure.closed_at, closure.closed_by = now, user
        closure.closed_note = f"县级管理员豁免：{reason}"[:300]
        audit.append(
            entry(Action.UPDATE, user, closure, before={"status": Closure.Status.OPEN},
                  after={"status": closure.status, "waiver_reason": reason},
                  note=f"豁免销号任务：{reason}")
        )  # fmt: skip
    with transaction.atomic():
        Closure.objects.bulk_update(
            targets, ["status", "waiver_reason", "closed_at", "closed_by", "closed_note"]
        )
        log_many(audit)
    return len(targets)


def do_complete(user, closure: Closure, evidence: str) -> Closure:
    """A county admin marks a county-level task (e.g. 报送两本台账) done, with the evidence.

    County-level tasks are not shown by the data, so this is how they are closed (a waiver says
    the task is not needed; this says it was done). The data sync leaves them closed."""
    require(user, COMPLETE_COUNTY_TASK, [closure])
    if closure.subject != "county":
        raise ClosureError("只有县级任务可以手工标记完成，其他任务按数据自动销号")
    if closure.status != Closure.Status.OPEN:
        raise ClosureError("该任务已不是未销号状态")
    evidence = evidence.strip()
    if not evidence:
        raise ClosureError("标记完成必须填写完成情况（如报送时间、文号）")
    now = timezone.now()
    closure.status = Closure.Status.CLOSED
    closure.closed_at, closure.closed_by = now, user
    closure.closed_note = f"县级管理员标记完成：{evidence}"[:300]
    closure.evidence = {
        "manual": True,
        "by": user.get_username(),
        "at": now.isoformat(),
        "deadline": closure.deadline.isoformat(),
        "text": evidence,
        "summary": evidence,
    }
    with transaction.atomic():
        closure.save(update_fields=["status", "closed_at", "closed_by", "closed_note", "evidence"])
        log(Action.UPDATE, user, closure, before={"status": Closure.Status.OPEN},
            after={"status": closure.status, "evidence": evidence},
            note=f"标记县级任务完成：{evidence}")  # fmt: skip
    return closure


def do_bulk_plan(user, closures: list[Closure], plan: str) -> int:
    """Set the same plan text on several tasks (e.g. a 镇街's common measures)."""
    require(user, PLAN_CLOSURE, closures)
    plan = plan.strip()
    if not plan:
        raise ClosureError("请填写计划内容")
    changed = [c for c in closures if c.plan != plan]
    audit = [
        entry(Action.UPDATE, user, c, before={"plan": c.plan}, after={"plan": plan},
              note=f"批量修改{c.plan_label}")
        for c in changed
    ]  # fmt: skip
    for c in changed:
        c.plan = plan
    with transaction.atomic():
        Closure.objects.bulk_update(changed, ["plan"])
        log_many(audit)
    return len(changed)


def do_resync(user) -> None:
    """Screen the county again so the 销号 tasks follow the data."""
    require(user, RESYNC_CLOSURES)
    request_rescreen(user, "同步销号任务")
