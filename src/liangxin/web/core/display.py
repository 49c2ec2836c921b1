"""Values as a person reads them, on every page and in every history row."""

from __future__ import annotations

import datetime

from django.utils import timezone

from liangxin.engine.dates import date_text


def show(value):
    """A value as a person reads it: 是/否, “—” for unknown, plain numbers."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime.datetime):
        return datetime_text(value)
    if isinstance(value, datetime.date):
        return date_text(value)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "—"
    return value


def datetime_text(value: datetime.datetime | None, seconds: bool = False) -> str:
    """“2020年6月30日 14:05” in local time, the date style of every page."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return (
        f"{date_text(local)} {local:%H:%M:%S}" if seconds else f"{date_text(local)} {local:%H:%M}"
    )
