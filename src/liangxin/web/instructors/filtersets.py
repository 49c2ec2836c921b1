from liangxin.web.core.filters import choice, yes_no
from liangxin.web.regions.filtersets import RegionFilter


class InstructorFilter(RegionFilter):
    search_fields = ("name__contains", "unit__contains")
    search_label = "姓名或工作单位"
    region_label = "负责镇街"
    lookups = {"full_time": "full_time", "over_capacity": "over_capacity"}

    full_time = choice("专职/兼职", [("专职", "专职"), ("兼职", "兼职")])
    over_capacity = yes_no("超出指导能力")
