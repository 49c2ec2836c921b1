"""党组织, the organizations they cover (units), and the structure findings of docs/rules.md §R5.4."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from liangxin.engine.labels import MODE_LABELS, PARTY_FINDING_LABELS, TYPE_LABELS
from liangxin.web.core.fields import Entity, count, flag
from liangxin.web.core.scope import RestrictedQuerySet
from liangxin.web.core.sortkey import SortKeyField
from liangxin.web.orgs.models import in_scope_orgs


class PartyOrgQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return scope.region() | Q(in_scope_orgs(scope, "party_orgs"))


class PartyOrg(Entity):
    name = models.CharField("党组织名称", max_length=200, db_index=True)
    name_sort = SortKeyField("拼音排序")
    type = models.CharField(
        "类别", max_length=20, blank=True, null=True, choices=list(TYPE_LABELS.items())
    )
    type_text = models.CharField("类别（原文）", max_length=40, blank=True, null=True)
    mode = models.CharField(
        "组建方式", max_length=20, blank=True, null=True, choices=list(MODE_LABELS.items())
    )
    mode_text = models.CharField("组建方式（原文）", max_length=40, blank=True, null=True)
    formal_members = count("正式党员")
    probationary_members = count("预备党员")
    members = count("党员总数（原表）")
    members_total = count("党员总数")
    secretary = models.CharField("书记", max_length=60, blank=True, null=True)
    founded_on = models.DateField("成立时间", null=True, blank=True)
    superior = models.CharField("上级党组织", max_length=200, blank=True, null=True)
    status = models.CharField("状态", max_length=20, blank=True, null=True)
    active = models.BooleanField("正常", default=True)
    unit_count = count("所在单位数")
    units_in_scope = count("纳入统计的单位数")
    oversize_branch = flag(PARTY_FINDING_LABELS["oversize_branch"])
    suggested_type = models.CharField("建议类别", max_length=20, blank=True, null=True)
    undersize_single = flag(PARTY_FINDING_LABELS["undersize_single"])
    joint_too_wide = flag(PARTY_FINDING_LABELS["joint_too_wide"])
    shell = flag(PARTY_FINDING_LABELS["shell"])
    reasons = models.TextField("说明", blank=True, null=True)
    units = models.ManyToManyField("orgs.Org", related_name="party_orgs", verbose_name="所在单位")

    objects = PartyOrgQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "党组织"
        ordering = ["name"]


# The values of a party organization a user may correct, in form order.
PARTY_ORG_FACTS: tuple[str, ...] = (
    "type",
    "mode",
    "formal_members",
    "probationary_members",
    "secretary",
    "founded_on",
    "units",
)


class PartyOrgFactQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return scope.region("party_org__") | Q(in_scope_orgs(scope, "party_orgs__facts"))


class PartyOrgFact(models.Model):
    """A value set in the browser; it overrides the party organization extract from now on.
    ``units`` holds the org_ids of the units."""

    party_org = models.ForeignKey(
        PartyOrg, models.CASCADE, related_name="facts", verbose_name="党组织"
    )
    field = models.CharField("字段", max_length=40)
    value = models.JSONField("取值", null=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="修改人"
    )
    set_at = models.DateTimeField("修改时间", auto_now=True)

    objects = PartyOrgFactQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "党组织修正"
        constraints = [
            models.UniqueConstraint(fields=["party_org", "field"], name="party_org_fact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.party_org}：{self.field}"
