"""指导员选派: assignments of an instructor to an organization made in the browser.

The instructor roster (an import) names each instructor's organizations; an assignment
accepted here adds one, and the engine counts it on every later run (``facts``), so the
organization is work-covered, the instructor's capacity is checked and the 销号 task closes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from liangxin.web.core.scope import RestrictedQuerySet


class AssignmentQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return scope.orgs("org__")


class Assignment(models.Model):
    instructor = models.ForeignKey(
        "instructors.Instructor",
        models.SET_NULL,
        null=True,
        related_name="assignments",
        verbose_name="指导员",
    )
    instructor_entity_id = models.CharField("指导员编号", max_length=40, db_index=True)
    instructor_name = models.CharField("指导员", max_length=60)
    org = models.ForeignKey(
        "orgs.Org", models.CASCADE, related_name="assignments", verbose_name="单位"
    )
    reason = models.CharField("方案说明", max_length=200, blank=True, default="")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="确认人"
    )
    accepted_at = models.DateTimeField("确认时间", auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "指导员选派"
        ordering = ["-accepted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instructor_entity_id", "org"], name="assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instructor_name} → {self.org}"

    @property
    def source(self) -> str:
        when = f"{timezone.localtime(self.accepted_at):%Y-%m-%d}" if self.accepted_at else ""
        return f"网页选派（{self.accepted_by.get_username()}，{when}）"
