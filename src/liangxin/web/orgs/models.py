"""两新组织: the master record of one organization, as the engine reconciles and screens it.

Every engine value is a column here; ``sources`` says which source row each value came from
(``{"employees": "文件［工作表］第12行", …}``). Survey facts that a user corrects are kept in
``SurveyFact`` and win over every department's value the next time the engine runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from liangxin.engine.labels import FLAG_LABELS, ORG_KIND_LABELS
from liangxin.engine.screen import FLAGS
from liangxin.web.core.bulk import chunks
from liangxin.web.core.fields import Placed, amount, count, flag, text, yes_no
from liangxin.web.core.scope import RestrictedQuerySet, Scope
from liangxin.web.core.sortkey import SortKeyField


class OrgQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return scope.orgs()


class Kind(models.TextChoices):
    ENTERPRISE = "enterprise", ORG_KIND_LABELS["enterprise"]
    SOCIAL_ORG = "social_org", ORG_KIND_LABELS["social_org"]


class Org(Placed):
    org_id = models.CharField("单位编号", max_length=40, unique=True)
    credit_code = text("统一社会信用代码", 40)
    name = models.CharField("名称", max_length=300, db_index=True)
    name_sort = SortKeyField("拼音排序")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, db_index=True)
    subtype = text("社会组织类型", 30)
    town = text("镇街", 60)
    source_kinds = text("数据来源", 200)
    source_rows = count("来源行数")
    needs_review = models.BooleanField("有待确认的匹配", default=False)
    # registry / social organization registration
    legal_form = text("企业类型")
    org_type = text("社会组织类型（原文）")
    legal_rep = text("法定代表人", 100)
    address = text("住所", 300)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    registered_capital_wan = amount("注册资本（万元）")
    industry = text("所属行业", 100)
    supervisor = text("业务主管单位", 100)
    reg_status = text("登记状态", 40)
    # tax, insurance
    revenue_wan = amount("营业收入（万元）")
    tax_paid_wan = amount("实缴税额（万元）")
    tax_status = text("纳税人状态", 40)
    insured = count("参保人数")
    insurance_status = text("参保状态", 40)
    # survey (摸排)
    employees = count("从业人员数")
    operating = text("经营状况", 40)
    has_premises = yes_no("有固定场所")
    survey_formal_members = count("摸排正式党员数")
    park = text("所在园区")
    building = text("所在楼宇/商圈")
    investor_is_member = yes_no("出资人是党员")
    unbuilt_reason = text("未建党组织原因", 300)
    mass_orgs = text("已建群团组织")
    lon = text("经度", 30)
    lat = text("纬度", 30)
    contact = text("联系人", 60)
    phone = text("联系电话", 60)
    # screening (docs/rules.md §R5)
    in_scope = models.BooleanField("纳入统计", default=True, db_index=True)
    exclusion_reason = text("不纳入统计原因", 60)
    formal_members = count("正式党员数")
    single_party_org_id = text("单独组建的党组织", 40)
    party_org_type = text("党组织类别", 30)
    above_scale = flag(FLAG_LABELS["above_scale"])
    in_park = flag(FLAG_LABELS["in_park"])
    single_established = flag(FLAG_LABELS["single_established"])
    org_covered = flag(FLAG_LABELS["org_covered"])
    work_covered = flag(FLAG_LABELS["work_covered"])
    single_required = flag(FLAG_LABELS["single_required"])
    due_unestablished = flag(FLAG_LABELS["due_unestablished"])
    focus_50_no_member = flag(FLAG_LABELS["focus_50_no_member"])
    focus_100_no_org = flag(FLAG_LABELS["focus_100_no_org"])
    focus_social_15_no_member = flag(FLAG_LABELS["focus_social_15_no_member"])
    park_uncovered = flag(FLAG_LABELS["park_uncovered"])
    instructor_required = flag(FLAG_LABELS["instructor_required"])
    fallback = flag(FLAG_LABELS["fallback"])
    reasons = models.TextField("说明", blank=True, null=True)
    sources = models.JSONField("取值来源", default=dict, blank=True)
    # optimistic locking (docs/security.md §5): each edit of the survey facts adds one; an edit made on an
    # older version is refused instead of silently overwriting someone else's
    version = models.PositiveIntegerField("版本", default=0)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "两新组织"
        ordering = ["town", "name"]
        indexes = [
            models.Index(fields=["credit_code"], name="org_credit_code"),
            # a department's users see some subtypes only: without it a scoped, name-ordered
            # list walked the name index through a million organizations (2 s)
            models.Index(fields=["subtype"], name="org_subtype"),
        ]

    def __str__(self) -> str:
        return self.name


# The columns the engine computes (everything but identity, placement in the region tree, the
# edit version and the sort key).
ENGINE_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in Org._meta.concrete_fields
    if f.name not in {"id", "region", "region_path", "version"} and not isinstance(f, SortKeyField)
)
assert set(FLAGS) <= set(ENGINE_FIELDS), "every engine flag needs a column"

# The survey facts a 镇街 or county user may correct (docs/rules.md §R1), in form order.
SURVEY_FACTS: tuple[str, ...] = (
    "employees",
    "survey_formal_members",
    "has_premises",
    "operating",
    "revenue_wan",
    "investor_is_member",
    "unbuilt_reason",
    "mass_orgs",
)


class SurveyFactQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        return scope.orgs("org__")


class SurveyFact(models.Model):
    """A survey fact set in the browser; it overrides the departments' value for this field."""

    org = models.ForeignKey(Org, models.CASCADE, related_name="facts", verbose_name="单位")
    field = models.CharField("字段", max_length=40)
    value = models.JSONField("取值", null=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="修改人"
    )
    set_at = models.DateTimeField("修改时间", auto_now=True)

    objects = SurveyFactQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "摸排修正"
        constraints = [
            models.UniqueConstraint(fields=["org", "field"], name="survey_fact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.org}：{self.field}"

    @property
    def source(self) -> str:
        """How the value is cited wherever the engine would cite a source row."""
        when = timezone.localtime(self.set_at)
        return f"网页修改（{self.set_by.get_username()}，{when:%Y-%m-%d %H:%M}）"


def in_scope_orgs(scope: Scope, relation: str):
    """``Exists`` over the in-scope organizations related to the outer row by ``relation``."""
    return Exists(Org.objects.filter(scope.orgs(), **{relation: OuterRef("pk")}))


def org_pks(org_ids: Iterable[str]) -> dict[str, int]:
    """The primary keys of the organizations with these engine ids (those that exist)."""
    ids = sorted(set(org_ids))
    found: dict[str, int] = {}
    for chunk in chunks(ids, 5000):  # below SQLite's limit on query parameters
        found.update(Org.objects.filter(org_id__in=chunk).values_list("org_id", "pk"))
    return found
