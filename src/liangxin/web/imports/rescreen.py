"""Re-run the engine on the stored data after an edit or a match decision, and write the result.

No preview: the user's own change is what triggers it. Optimistic: if the data changed while
the engine ran, it runs again.
"""

from __future__ import annotations

from django.db import transaction

from liangxin.web.closures.sync import sync_screened as sync_closures
from liangxin.web.imports import inputs
from liangxin.web.imports.apply import apply_changes
from liangxin.web.imports.commit import replace_review
from liangxin.web.imports.diff import diff_all
from liangxin.web.imports.models import DataVersion
from liangxin.web.imports.pipeline import run_engine
from liangxin.web.imports.proposal import propose, review_rows
from liangxin.web.matches.models import MatchDecision
from liangxin.web.tasks.models import Task
from liangxin.web.tasks.worker import TaskError, TaskProgress, enqueue, handler

ATTEMPTS = 3


def request_rescreen(user, reason: str) -> Task:
    """Queue a re-screening unless one is already waiting (it will see this change too)."""
    waiting = Task.objects.filter(kind="rescreen", status=Task.Status.QUEUED).first()
    return waiting or enqueue("rescreen", "重新关联比对、按政策筛查", user, reason=reason)


@handler("rescreen")
def rescreen(task: Task, progress: TaskProgress) -> dict:
    for _ in range(ATTEMPTS):
        version = DataVersion.current()
        progress.step("关联比对、按政策筛查")
        decisions = inputs.decisions_in_effect(include_pending=True)
        pending = list(decisions.filter(applied=False).values_list("pk", flat=True))
        outcome = run_engine(inputs.stored_rows(), inputs.corrections(decisions), inputs.facts())
        changes, _ = diff_all(propose(outcome))
        review = review_rows(outcome, inputs.decided_pairs(decisions))
        progress.step("写入数据库")
        with transaction.atomic():
            if DataVersion.current() != version:
                continue
            note = task.params.get("reason", "重新筛查")
            apply_changes(changes, task.created_by, note, outcome.reconciled.county)
            MatchDecision.objects.filter(pk__in=pending).update(applied=True)
            replace_review(review)
            ref = {"type": "rescreen", "task": task.pk, "reason": note}
            sync_closures(outcome.screened.tasks, task.created_by, note, ref)
            if changes or pending:
                DataVersion.bump()
        return {"changes": len(changes)}
    raise TaskError("数据变化频繁，重新筛查未完成，请稍后再试")
