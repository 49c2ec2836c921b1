from liangxin.engine.labels import MODE_LABELS, PARTY_FINDING_LABELS, TYPE_LABELS
from liangxin.web.core.filters import choice, flags, yes_no
from liangxin.web.regions.filtersets import RegionFilter


class PartyOrgFilter(RegionFilter):
    search_fields = ("name__contains",)
    search_label = "党组织名称"
    lookups = {"type": "type", "mode": "mode", "active": "active"}

    type = choice("类别", TYPE_LABELS.items())
    mode = choice("组建方式", MODE_LABELS.items())
    active = yes_no("正常")
    flags = flags("检查结果（同时满足）", PARTY_FINDING_LABELS)
