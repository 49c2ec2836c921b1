"""销号任务: the engine's open obligations (docs/rules.md §R5.6) kept as rows with a life of their own.

The engine says which obligations are open on each run; ``sync`` turns that into rows here: a
new obligation opens a task, an obligation the data shows met closes it (keeping the evidence:
which import or edit, by whom, when, and the organization's state), and one that comes back
opens it again. A county admin may waive a task with a reason. Overdue is not stored: it is
"open and past its deadline" on the as-of date.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangxin.engine.labels import TASK_STATUS_LABELS
from liangxin.web.core.fields import Placed, text
from liangxin.web.core.scope import RestrictedQuerySet


class ClosureQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        # 镇街 users by place; department and instructor users by the organization.
        if scope.region_path is not None:
            return scope.region()
        return Q(org__isnull=False) & scope.orgs("org__")

    def open(self):
        return self.filter(status=Closure.Status.OPEN)

    def overdue(self, as_of: datetime.date):
        return self.open().filter(deadline__lt=as_of)


class Closure(Placed):
    class Status(models.TextChoices):
        OPEN = "open", TASK_STATUS_LABELS["open"]  # the engine's open tasks
        CLOSED = "closed", "已销号"
        WAIVED = "waived", "已豁免"

    task_id = models.CharField("任务编号", max_length=80, unique=True)
    task_kind = models.CharField("任务类型", max_length=40, db_index=True)
    task = models.CharField("任务", max_length=200)
    subject = models.CharField("对象类型", max_length=10)  # county | org | park
    subject_id = text("对象编号", 40)
    name = models.CharField("对象", max_length=300)
    kind = text("类别", 20)
    town = text("镇街", 60)
    org = models.ForeignKey(
        "orgs.Org",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name="单位",
    )
    deadline = models.DateField("时限", db_index=True)
    reason = models.TextField("原因", blank=True, default="")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    plan = models.TextField("一企一策/一社一策", blank=True, default="")
    opened_at = models.DateTimeField("生成时间")
    opened_note = models.CharField("生成依据", max_length=300, blank=True, default="")
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="销号人",
    )
    closed_note = models.CharField("销号依据", max_length=300, blank=True, default="")
    evidence = models.JSONField("销号证据", default=dict, blank=True)
    waiver_reason = models.TextField("豁免理由", blank=True, default="")

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "销号任务"
        ordering = ["deadline", "town", "name"]

    def __str__(self) -> str:
        return f"{self.task}：{self.name}"

    def is_overdue(self, as_of: datetime.date) -> bool:
        return self.status == self.Status.OPEN and self.deadline < as_of

    @property
    def plan_label(self) -> str:
        return "一社一策" if self.kind == "social_org" else "一企一策"


class TaskSnapshot(models.Model):
    """The open tasks the engine found when an import was analysed; applied at its commit
    (the commit refuses a preview made on older data, so the snapshot is still right)."""

    batch = models.OneToOneField(
        "imports.ImportBatch", models.CASCADE, related_name="task_snapshot"
    )
    rows = models.JSONField(default=list)

    class Meta:
        verbose_name = verbose_name_plural = "销号任务快照"
