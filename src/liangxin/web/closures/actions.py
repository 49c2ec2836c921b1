"""Changing 销号 tasks by hand: the plan, waivers. Every change is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from liangxin.web.audit.actions import Action, entry, log, log_many
from liangxin.web.closures.models import Closure


class ClosureError(ValueError):
    """A refused change; the message is shown to the user."""


def do_save_plan(user, closure: Closure, plan: str) -> Closure:
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
    if not getattr(user, "is_county_admin", False):
        raise ClosureError("只有县级管理员可以豁免销号任务")
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


def do_bulk_plan(user, closures: list[Closure], plan: str) -> int:
    """Set the same plan text on several tasks (e.g. a 镇街's common measures)."""
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
