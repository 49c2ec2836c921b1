from liangxin.web.core.filters import choice
from liangxin.web.regions.filtersets import RegionFilter

KINDS = ("园区", "楼宇", "商圈", "商城", "商会", "孵化器", "众创空间")


class ParkFilter(RegionFilter):
    search_fields = ("name__contains",)
    search_label = "名称"
    lookups = {"park_kind": "park_kind"}

    park_kind = choice("类型", ((k, k) for k in KINDS))
