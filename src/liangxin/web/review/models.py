"""待确认: doubtful matches the engine never merges on its own, and people's decisions on them.

``ReviewItem`` is the engine's review list as of the last commit (replaced at every commit).
``MatchDecision`` is what a person decided about one pair: confirmed pairs are merged the next
time the engine runs (the row is given the candidate's credit code, or its name when the
candidate has none); rejected pairs leave the queue. A decision made while previewing an import
belongs to that import and takes effect with its commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangxin.web.core.scope import RestrictedQuerySet


class PairQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        # Both sides: a pair reaching outside the user's scope (another 镇街's candidate) is
        # the county's to decide, and would name an organization the user may not see.
        return scope.orgs("org__") & scope.orgs("candidate__")


def _org(name: str, label: str) -> models.ForeignKey:
    return models.ForeignKey(
        "orgs.Org", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=label
    )


class Pair(models.Model):
    """A source row and the organization it may belong to."""

    record_key = models.CharField("数据行", max_length=400, db_index=True)
    source_ref = models.CharField("来源", max_length=400)
    name = models.CharField("名称", max_length=300, blank=True, default="")
    credit_code = models.CharField("统一社会信用代码", max_length=40, blank=True, default="")
    town = models.CharField("镇街", max_length=60, blank=True, default="")
    record_org_id = models.CharField("现归属单位编号", max_length=40, blank=True, default="")
    candidate_org_id = models.CharField("疑似同一单位编号", max_length=40, db_index=True)
    candidate_name = models.CharField("疑似同一单位", max_length=300, blank=True, default="")
    candidate_credit_code = models.CharField(
        "疑似单位信用代码", max_length=40, blank=True, default=""
    )
    candidate_town = models.CharField("疑似单位镇街", max_length=60, blank=True, default="")
    org = _org("org", "现归属单位")
    candidate = _org("candidate", "疑似同一单位")

    objects = PairQuerySet.as_manager()

    class Meta:
        abstract = True


class ReviewItem(Pair):
    similarity = models.FloatField("相似度（%）", null=True, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "待确认匹配"
        ordering = ["source_ref", "candidate_org_id"]

    def __str__(self) -> str:
        return f"{self.name} ↔ {self.candidate_name}"


class MatchDecision(Pair):
    class Decision(models.TextChoices):
        CONFIRM = "confirm", "是同一单位"
        REJECT = "reject", "不是同一单位"

    decision = models.CharField("结论", max_length=10, choices=Decision.choices)
    batch = models.ForeignKey(
        "imports.ImportBatch",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="所属导入",
    )
    applied = models.BooleanField("已生效", default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="确认人"
    )
    decided_at = models.DateTimeField("确认时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "匹配确认"
        constraints = [
            models.UniqueConstraint(
                fields=["record_key", "candidate_org_id"], name="match_decision_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ↔ {self.candidate_name}：{self.get_decision_display()}"
