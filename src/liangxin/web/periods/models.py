"""台账期次: the ledger frozen at a date — every organization's state and the metrics — so
two periods can be compared (变更说明) and followed over time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangxin.engine.outputs.changes import STATUS_FLAGS
from liangxin.web.core.fields import text
from liangxin.web.core.paths import PathField
from liangxin.web.core.scope import RestrictedQuerySet


class PeriodQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return Q()  # a period's county-wide figures are the ranking everybody sees


class Period(models.Model):
    label = models.CharField("期次", max_length=60, unique=True)
    as_of = models.DateField("统计日")
    policy = models.CharField("政策", max_length=60)
    metrics = models.JSONField("指标", default=dict)  # dashboard.metrics.county_metrics
    closures = models.JSONField("销号进度", default=list)  # closures.stats.town_counts
    # [{town, name, task, deadline, org}]: ``org`` is the organization's key (bulletins/data.py)
    overdue = models.JSONField("逾期未销号", default=list)
    # per task kind: [{task_kind, task, deadline, total, done}]; per org kind: {total, org_covered}
    closure_kinds = models.JSONField("各类任务销号情况", default=list)
    kind_metrics = models.JSONField("分类别指标", default=dict)
    note = models.CharField("说明", max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="冻结人"
    )
    created_at = models.DateTimeField("冻结时间", auto_now_add=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "台账期次"
        ordering = ["as_of", "created_at"]

    def __str__(self) -> str:
        return self.label

    def previous(self):
        return (
            Period.objects.filter(Q(as_of__lt=self.as_of) | Q(as_of=self.as_of, pk__lt=self.pk))
            .order_by("-as_of", "-pk")
            .first()
        )


class PeriodOrgQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        if scope.region_path is not None:
            return Q(region_path__under=scope.region_path)
        return Q(org__isnull=False) & scope.orgs("org__")


# The columns the change explanation needs (engine/outputs/changes.py KEY_COLUMNS).
FLAG_FIELDS = tuple(STATUS_FLAGS)


class PeriodOrg(models.Model):
    period = models.ForeignKey(Period, models.CASCADE, related_name="orgs")
    org = models.ForeignKey("orgs.Org", models.SET_NULL, null=True, related_name="+")
    org_code = models.CharField("单位编号", max_length=40)  # the engine's org_id
    name = models.CharField("名称", max_length=300)
    town = text("镇街", 60)
    kind = models.CharField("类别", max_length=20)
    in_scope = models.BooleanField("纳入统计")
    exclusion_reason = text("不纳入统计原因", 60)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    single_established = models.BooleanField(default=False)
    org_covered = models.BooleanField(default=False)
    work_covered = models.BooleanField(default=False)
    due_unestablished = models.BooleanField(default=False)
    above_scale = models.BooleanField(default=False)
    instructor_required = models.BooleanField(default=False)
    region_path = PathField("区域路径")

    objects = PeriodOrgQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "org_code"], name="period_org_unique")
        ]
