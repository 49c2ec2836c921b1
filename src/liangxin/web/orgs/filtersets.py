from liangxin.engine.labels import FLAG_LABELS
from liangxin.web.core.filters import choice, flags, yes_no
from liangxin.web.orgs.models import Kind
from liangxin.web.regions.filtersets import RegionFilter


class OrgFilter(RegionFilter):
    search_fields = ("name__contains", "credit_code__startswith")
    search_label = "名称或信用代码"
    lookups = {"kind": "kind", "in_scope": "in_scope", "needs_review": "needs_review"}

    kind = choice("类别", Kind.choices)
    in_scope = yes_no("纳入统计")
    needs_review = yes_no("有待确认匹配")
    flags = flags("标志（同时满足）", FLAG_LABELS)
