"""The county's data as a whole: the changes a run proposes, and what a full run learnt."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liangxin.web.core.scope import RestrictedQuerySet


class Change(models.Model):
    """One change the preview proposes: apply it at commit, show it before."""

    class Action(models.TextChoices):
        NEW = "new", "新增"
        UPDATED = "updated", "更新"
        REMOVED = "removed", "移除"

    # a run's changes are stored only as an upload's preview (by name: county sits below imports)
    batch = models.ForeignKey("imports.ImportBatch", models.CASCADE, related_name="changes")
    model = models.CharField("对象", max_length=20, db_index=True)
    key = models.CharField("编号", max_length=400)
    action = models.CharField("变化", max_length=10, choices=Action.choices, db_index=True)
    label = models.CharField("名称", max_length=300, blank=True, default="")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "imports_change"  # kept from when uploads owned it
        verbose_name = verbose_name_plural = "导入变化"
        ordering = ["id"]
        # the commit reads a preview's changes per model and action, a slice at a time
        indexes = [models.Index(fields=["batch", "model", "action", "id"], name="change_slices")]

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = [k for k in after if k in before] if before and after else []
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class CountyWords(models.Model):
    """What the engine infers from the whole county as of its last full run: the region
    prefixes and words of the organizations' names. A
    re-screening of part of the county runs with these, not with what the part alone shows."""

    prefixes = models.JSONField(default=list)
    words = models.JSONField(default=list)

    @classmethod
    def current(cls) -> CountyWords | None:
        return cls.objects.filter(pk=1).first()

    @classmethod
    def store(cls, found: dict | None) -> None:
        """Keep the words of a full run (``None``: not known, the next re-screening is full)."""
        if found is None:
            cls.objects.filter(pk=1).delete()
        else:
            cls.objects.update_or_create(pk=1, defaults=found)

    class Meta:
        db_table = "imports_countywords"  # kept from when uploads owned it


class NotFoundQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return scope.orgs("org__")


class NotFoundRow(models.Model):
    """A source row without a valid code that matches no registered organization
    (未在登记信息中找到, docs/rules.md §R4.2, docs/linkage.md), as of the last commit or
    whole-county re-screening: the organization it became, and the closest registered names.
    Seen by whoever sees that organization."""

    source_file = models.CharField("文件", max_length=255)
    # null where the engine has no value, so that the rows read back are the engine's
    source_sheet = models.CharField("工作表", max_length=100, null=True, blank=True)
    source_row = models.IntegerField("行号")
    org = models.ForeignKey(
        "orgs.Org",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所成单位",
    )
    record_org_id = models.CharField("所成单位编号", max_length=40, null=True, blank=True)
    name = models.CharField("名称", max_length=300, null=True, blank=True)
    town = models.CharField("镇街", max_length=60, null=True, blank=True)
    reason = models.CharField("原因", max_length=200, null=True, blank=True)
    closest = models.TextField("最接近的登记单位", null=True, blank=True)

    objects = NotFoundQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "未在登记信息中找到"
        ordering = ["id"]  # the engine's order

    def __str__(self) -> str:
        return self.name or self.source_file
