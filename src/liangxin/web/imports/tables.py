from liangxin.web.core.display import datetime_text
from liangxin.web.core.tables import Column, Table


def _counts(batch) -> str:
    counts = batch.summary.get("counts", {}).get("org")
    if not counts:
        return "—"
    return f"新增{counts['new']}，更新{counts['updated']}，移除{counts['removed']}，未变{counts['unchanged']}"


class BatchTable(Table):
    default_sort = "-created_at"
    columns = (
        Column("id", "批次", sort="id", link="imports:detail", value=lambda b: f"第{b.pk}批"),
        Column(
            "created_at",
            "上传时间",
            sort="created_at",
            value=lambda b: datetime_text(b.created_at),
        ),
        Column("created_by", "导入人", value=lambda b: b.created_by.display_name),
        Column("files", "文件数", value=lambda b: b.files.count()),
        Column("status", "状态", sort="status", value=lambda b: b.get_status_display()),
        Column("orgs", "单位变化", value=_counts),
        Column("note", "说明", css="wrap"),
    )
