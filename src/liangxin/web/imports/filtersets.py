from liangxin.web.core.filters import FilterForm, choice
from liangxin.web.imports.models import ImportBatch


class BatchFilter(FilterForm):
    search_fields = ("note__contains", "files__name__contains")
    search_label = "文件名或说明"
    lookups = {"status": "status"}
    status = choice("状态", ImportBatch.Status.choices)

    def apply_q(self, queryset, value):
        return super().apply_q(queryset, value).distinct()
