from django.utils.html import format_html

from liangxin.web.audit.filtersets import AuditFilter
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.display import datetime_text
from liangxin.web.core.history import change_rows
from liangxin.web.core.tables import Column, Table
from liangxin.web.core.views import ObjectListView

SHOWN_CHANGES = 12  # per entry; the object's own history page shows them all


def _changes(entry: AuditLog, user):
    """The entry's changes as the history pages show them: labels, masked values, sources."""
    rows = change_rows(entry, user)
    lines = [
        f"{row.label}：{row.before} → {row.after}" + (f"（{row.source}）" if row.source else "")
        for row in rows[:SHOWN_CHANGES]
    ]
    if len(rows) > SHOWN_CHANGES:
        lines.append(f"……另有{len(rows) - SHOWN_CHANGES}项")
    if entry.note:
        lines.append(entry.note)
    return format_html("{}", "\n".join(lines)) if lines else "—"


class AuditTable(Table):
    default_sort = "-time"
    columns = (
        Column("time", "时间", sort="time", value=lambda e: datetime_text(e.time, seconds=True)),
        Column("username", "用户", sort="username"),
        Column("action", "操作", sort="action", value=lambda e: e.get_action_display()),
        Column("object_repr", "对象", sort="object_repr", css="wrap"),
        Column("changes", "内容", value=_changes, for_viewer=True, css="pre-line"),
        Column("request_id", "请求编号", value=lambda e: e.request_id[:12]),
    )


class AuditListView(ObjectListView):
    model = AuditLog
    table = AuditTable
    filterset = AuditFilter
    title = "审计日志"
