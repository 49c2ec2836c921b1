"""镇街 boundaries for the map, from an uploaded GeoJSON (the latest upload is in force)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangxin.web.core.scope import RestrictedQuerySet


class BoundaryQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return Q()  # outlines of the 镇街 are no one's data


class Boundary(models.Model):
    name = models.CharField("文件名", max_length=200)
    geojson = models.JSONField("GeoJSON")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = BoundaryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "镇街边界"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name
