"""Field declarations shared by the engine-derived models (values may be unknown: null)."""

from __future__ import annotations

from django.db import models

from liangxin.web.core.paths import PathField


def text(label: str, length: int = 200) -> models.CharField:
    return models.CharField(label, max_length=length, blank=True, null=True)


def count(label: str) -> models.IntegerField:
    return models.IntegerField(label, null=True, blank=True)


def amount(label: str) -> models.FloatField:
    return models.FloatField(label, null=True, blank=True)


def flag(label: str) -> models.BooleanField:
    """A derived flag or finding: false unless the engine says it holds; filterable."""
    return models.BooleanField(label, default=False, db_index=True)


def yes_no(label: str) -> models.BooleanField:
    return models.BooleanField(label, null=True, blank=True)


class Placed(models.Model):
    """An object placed in the region tree (``region_path`` copies the region's path, so
    “this region and below” needs no join)."""

    region = models.ForeignKey(
        "regions.Region", models.PROTECT, related_name="+", verbose_name="所属区域"
    )
    region_path = PathField("区域路径")

    class Meta:
        abstract = True


class Entity(Placed):
    """A party organization, instructor or park as the engine reads it from its extract."""

    entity_id = models.CharField("编号", max_length=40, unique=True)
    town = text("镇街", 60)
    source = text("来源", 300)
    unresolved_units = models.TextField("未能匹配的单位", blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name
