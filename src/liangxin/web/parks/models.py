"""园区/楼宇 and the organizations in them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liangxin.web.core.fields import Entity
from liangxin.web.core.scope import RestrictedQuerySet
from liangxin.web.core.sortkey import SortKeyField
from liangxin.web.orgs.models import in_scope_orgs


class ParkQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return scope.region() | Q(in_scope_orgs(scope, "parks"))


class Park(Entity):
    name = models.CharField("名称", max_length=200)
    name_sort = SortKeyField("拼音排序")
    level = models.CharField("级别", max_length=20, blank=True, null=True)
    park_kind = models.CharField("类型", max_length=20, blank=True, null=True)
    units = models.ManyToManyField("orgs.Org", related_name="parks", verbose_name="入驻单位")

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "园区楼宇"
        ordering = ["town", "name"]
