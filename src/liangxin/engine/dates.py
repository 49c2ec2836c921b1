"""The one way dates are shown to people: 2020年6月30日 (no leading zeros, as 公文 write them)."""

from __future__ import annotations

from datetime import date


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
