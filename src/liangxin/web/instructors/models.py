"""党建工作指导员 and the organizations assigned to them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liangxin.web.core.fields import Entity, count, flag, text
from liangxin.web.core.scope import RestrictedQuerySet
from liangxin.web.core.sortkey import SortKeyField
from liangxin.web.orgs.models import in_scope_orgs


class InstructorQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        own = Q(pk=scope.instructor_id) if scope.instructor_id is not None else Q(pk__in=[])
        return own | scope.region() | Q(in_scope_orgs(scope, "instructors"))


class Instructor(Entity):
    name = models.CharField("姓名", max_length=60, db_index=True)
    name_sort = SortKeyField("拼音排序")
    unit = models.CharField("工作单位", max_length=200, blank=True, null=True)
    position = models.CharField("职务", max_length=100, blank=True, null=True)
    full_time = models.CharField("专职/兼职", max_length=20, blank=True, null=True)
    phone = models.CharField("联系电话", max_length=60, blank=True, null=True)
    town = text("负责镇街", 60)
    orgs_guided = count("联系单位数")
    orgs_with_party_org = count("其中已建党组织")
    orgs_without_party_org = count("其中未建党组织")
    over_capacity = flag("超出指导能力")
    reasons = models.TextField("说明", blank=True, null=True)
    orgs = models.ManyToManyField("orgs.Org", related_name="instructors", verbose_name="联系单位")

    objects = InstructorQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "党建工作指导员"
        ordering = ["town", "name"]
