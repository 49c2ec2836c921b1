"""行政区划: county → 镇街 → 村/社区, with a materialised path (see ``core.paths``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liangxin.web.core.paths import SEPARATOR, PathField
from liangxin.web.core.scope import RestrictedQuerySet


class RegionQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        """A 镇街 user sees the own region and below; other roles see the geography."""
        return Q(path__under=scope.region_path) if scope.region_path is not None else Q()

    def under(self, region: Region):
        return self.filter(path__under=region.path)


class Region(models.Model):
    class Level(models.TextChoices):
        COUNTY = "county", "县（区）"
        TOWN = "town", "镇街"
        VILLAGE = "village", "村/社区"

    name = models.CharField("名称", max_length=100)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    path = PathField("路径", unique=True)
    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


def town_path(path: str) -> str | None:
    """The 镇街 a region path lies in (county / 镇街 / 村): ``/1/5/23/`` → ``/1/5/``; None for
    the county itself."""
    ids = path.strip(SEPARATOR).split(SEPARATOR)
    return SEPARATOR.join(["", *ids[:2], ""]) if len(ids) >= 2 else None
