"""Generating 核实任务 and answering them. Every change is audited; a correction or a
“查无此单位” goes through the audited survey edit, which screens the organization again."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from liangxin.web.accounts.models import User
from liangxin.web.audit.actions import Action, log
from liangxin.web.core.bulk import insert
from liangxin.web.core.permissions import (
    ANSWER_VERIFICATION,
    ASSIGN_VERIFICATION,
    GENERATE_VERIFICATION,
    require,
)
from liangxin.web.core.policy import as_of
from liangxin.web.core.scope import Role
from liangxin.web.orgs.actions import do_set_survey_facts
from liangxin.web.orgs.models import Org
from liangxin.web.verify.models import VerificationTask
from liangxin.web.verify.reasons import REASONS

# the survey's word for an organization not found on the spot; the screen then excludes it
# (docs/rules.md §R5.1, 核实不符合条件)
NOT_FOUND = "查无此单位"


class VerifyError(ValueError):
    """A refused answer; the message is shown to the user."""


def do_generate(user, period_label: str, due: datetime.date) -> int:
    """Open a task for every organization a reason finds on the as-of day, with all its
    reasons; an organization with an open task gets no second one. Returns how many opened."""
    require(user, GENERATE_VERIFICATION)
    period_label = period_label.strip()
    if not period_label:
        raise VerifyError("请填写核实批次名称")
    day = as_of()
    found: dict[int, tuple] = {}
    keys: dict[int, list[str]] = {}
    for reason in REASONS:
        rows = Org.objects.filter(reason.where(day)).values_list(
            "pk", "region_id", "region_path", "town"
        )
        for row in rows.iterator(chunk_size=5000):
            found[row[0]] = row
            keys.setdefault(row[0], []).append(reason.name)
    labels = {reason.name: reason.label for reason in REASONS}
    now = timezone.now()
    with transaction.atomic():
        taken = set(VerificationTask.objects.open().values_list("org_id", flat=True))
        new = [
            VerificationTask(
                org_id=pk,
                region_id=region_id,
                region_path=region_path,
                town=town or "",
                period_label=period_label,
                reason_keys=",".join(keys[pk]),
                reasons="；".join(labels[key] for key in keys[pk]),
                due=due,
                created_at=now,
            )
            for pk, region_id, region_path, town in sorted(found.values())
            if pk not in taken
        ]
        insert(VerificationTask, new)
        log(Action.CREATE, user, None, note=f"生成核实任务“{period_label}”{len(new)}项")
    return len(new)


def do_assign(user, task: VerificationTask, assignee) -> VerificationTask:
    """Give the task to a person who may answer it (a user of its 镇街), or to nobody."""
    require(user, ASSIGN_VERIFICATION, [task])
    if assignee is not None and assignee.pk not in {u.pk for u in assignees(task)}:
        raise VerifyError("只能分派给可以填报该任务的本镇街用户")
    before = {"assignee": task.assignee.get_username() if task.assignee else None}
    task.assignee = assignee
    with transaction.atomic():
        task.save(update_fields=["assignee"])
        log(Action.UPDATE, user, task, before=before,
            after={"assignee": assignee.get_username() if assignee else None},
            note="分派核实任务")  # fmt: skip
    return task


def assignees(task: VerificationTask) -> list:
    """The active 镇街 users whose region holds the task, who may be given it."""
    users = User.objects.filter(role=Role.TOWN, is_active=True, region__isnull=False)
    return [
        u
        for u in users.select_related("region").order_by("username")
        if task.region_path.startswith(u.region.path)
    ]


def do_answer(user, task: VerificationTask, answer: str, facts: dict[str, object] | None = None):
    """Record what was found on the spot and close the task: confirmed as the ledger says,
    corrected (the changed survey facts), or not found (查无此单位, which takes the organization
    out of scope at the next screening)."""
    require(user, ANSWER_VERIFICATION, [task])
    if task.status != VerificationTask.Status.OPEN:
        raise VerifyError("该任务已核实，不能重复填报")
    facts = dict(facts or {})
    if answer == VerificationTask.Answer.CONFIRMED:
        facts = {}
    elif answer == VerificationTask.Answer.NOT_FOUND:
        facts = {"operating": NOT_FOUND}
    elif answer == VerificationTask.Answer.CORRECTED:
        if not facts:
            raise VerifyError("没有修改任何信息；如信息无误请点“全部确认”")
    else:
        raise VerifyError("未知的核实结果")
    with transaction.atomic():
        if facts:
            do_set_survey_facts(user, task.org, facts)
        task.status = VerificationTask.Status.DONE
        task.answer, task.answer_facts = answer, facts
        task.answered_at, task.answered_by = timezone.now(), user
        task.save(update_fields=["status", "answer", "answer_facts", "answered_at", "answered_by"])
        log(Action.UPDATE, user, task, before={"status": VerificationTask.Status.OPEN},
            after={"status": task.status, "answer": answer, "facts": facts},
            note=f"核实：{task.get_answer_display()}")  # fmt: skip
    return task
