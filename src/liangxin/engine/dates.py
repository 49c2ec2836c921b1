"""One date style for everything a person reads: 2020年6月30日."""

from __future__ import annotations

import datetime


def date_text(d: datetime.date | None) -> str:
    """“2020年6月30日”; a datetime gives its calendar day (convert to local time first)."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"
