"""Confirmed templates: what each column of a department's file means, remembered per
department (the source kind it sends) and file pattern, so next month's file asks nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from liangxin.engine.intake.config import FileMapping
from liangxin.engine.labels import KIND_LABELS
from liangxin.engine.schema import Kind


class ColumnMap(models.Model):
    pattern = models.CharField("文件名样式", max_length=255, unique=True)  # numbers as *
    kind = models.CharField(
        "部门数据类型",
        max_length=20,
        choices=[(k.value, label) for k, label in KIND_LABELS.items()],
    )
    headers = models.JSONField("逐列含义", default=dict)  # header → field ("" = not used)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="确认人",
    )
    updated_at = models.DateTimeField("确认时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "表头对照"
        ordering = ["kind", "pattern"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.pattern}"

    def mapping(self) -> FileMapping:
        return FileMapping(Kind(self.kind), dict(self.headers))


def remembered() -> dict[str, FileMapping]:
    """Every confirmed template, as the intake takes them."""
    return {m.pattern: m.mapping() for m in ColumnMap.objects.all()}
