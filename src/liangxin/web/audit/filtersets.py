from django import forms

from liangxin.web.audit.models import AuditLog
from liangxin.web.core.filters import FilterForm, choice

OBJECT_TYPES = [
    ("orgs.org", "两新组织"),
    ("partyorgs.partyorg", "党组织"),
    ("instructors.instructor", "指导员"),
    ("parks.park", "园区楼宇"),
    ("imports.importbatch", "导入"),
    ("matches.matchdecision", "匹配确认"),
]


class AuditFilter(FilterForm):
    search_fields = ("object_repr__contains", "username__contains", "note__contains")
    search_label = "对象、用户或说明"
    lookups = {"action": "action", "object_type": "object_type", "request_id": "request_id"}

    action = choice("操作", AuditLog.Action.choices)
    object_type = choice("对象类型", OBJECT_TYPES)
    since = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    request_id = forms.CharField(label="请求编号")

    def apply_since(self, queryset, value):
        return queryset.filter(time__date__gte=value)

    def apply_until(self, queryset, value):
        return queryset.filter(time__date__lte=value)
