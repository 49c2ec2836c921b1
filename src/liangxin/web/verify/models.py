"""核实任务: an organization whose stored facts are stale or doubtful, for its 镇街 to confirm or
correct on the spot (the answer flows back through the audited survey edit).

Why a task is generated is declared once as data (``reasons.REASONS``); a task keeps the labels
of the reasons that found it. Overdue is not stored: it is "open and past its due date".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangxin.web.core.fields import Placed, text
from liangxin.web.core.scope import RestrictedQuerySet


class VerificationQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        # 镇街 users by place; department and instructor users by the organization.
        if scope.region_path is not None:
            return scope.region()
        return scope.orgs("org__")

    def open(self):
        return self.filter(status=VerificationTask.Status.OPEN)


class VerificationTask(Placed):
    class Status(models.TextChoices):
        OPEN = "open", "待核实"
        DONE = "done", "已核实"

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", "确认无误"
        CORRECTED = "corrected", "已修改"
        NOT_FOUND = "not_found", "查无此单位"

    org = models.ForeignKey(
        "orgs.Org", models.CASCADE, related_name="verifications", verbose_name="单位"
    )
    town = text("镇街", 60)
    period_label = models.CharField("核实批次", max_length=60)
    reason_keys = models.CharField("原因代码", max_length=200)
    reasons = models.TextField("核实原因")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="verifications",
        verbose_name="核实人",
    )
    due = models.DateField("完成时限", db_index=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answer = models.CharField("核实结果", max_length=20, choices=Answer.choices, blank=True)
    answer_facts = models.JSONField("修改的信息", default=dict, blank=True)
    created_at = models.DateTimeField("生成时间")
    answered_at = models.DateTimeField("核实时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核实人（填报）",
    )

    objects = VerificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "核实任务"
        ordering = ["status", "due", "town", "pk"]
        constraints = [
            # one open task per organization, whoever generates it and however often
            models.UniqueConstraint(
                fields=["org"], condition=Q(status="open"), name="verification_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"核实：{self.org.name}"
