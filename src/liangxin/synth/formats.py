"""How officials write values in cells: dates, money, head counts, yes/no (docs/rules.md §R3.3)."""

from __future__ import annotations

import datetime as dt
import random

_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
BOOL_STYLES = (("是", "否"), ("有", "无"), ("√", "×"), ("Y", "N"))


def date_cell(ordinal: int, rng: random.Random, excel: bool = True) -> object:
    """A real Excel date, an Excel serial number, or text: 2019年3月5日 / 2019.3.5 / 2019/03/05."""
    d = dt.date.fromordinal(ordinal)
    shapes = (
        ("date", "serial", "cn", "dot", "slash", "iso") if excel else ("cn", "dot", "slash", "iso")
    )
    shape = rng.choices(shapes, (40, 10, 15, 10, 15, 10)[-len(shapes) :])[0]
    match shape:
        case "date":
            return d
        case "serial":
            return ordinal - _EXCEL_EPOCH
        case "cn":
            return f"{d.year}年{d.month}月{d.day}日"
        case "dot":
            return f"{d.year}.{d.month}.{d.day}"
        case "slash":
            return f"{d.year}/{d.month:02d}/{d.day:02d}"
        case _:
            return d.isoformat()


def wan_text(value: float) -> str:
    """2350 → 2,350; 12.5 → 12.5."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def money_cell(wan: float, unit: str, text_share: float, rng: random.Random) -> object:
    """An amount under a header in ``unit`` (万元 or 元): a number, or text carrying its unit."""
    if unit == "元":
        yuan = round(wan * 10_000)
        return f"{yuan:,}元" if rng.random() < text_share else yuan
    if rng.random() < text_share:
        return wan_text(wan) + "万元"
    return int(wan) if wan == int(wan) else wan


def count_cell(n: int, text_share: float, rng: random.Random) -> object:
    return f"{n}人" if rng.random() < text_share else n


def bool_cell(value: bool | None, style: tuple[str, str]) -> str | None:
    if value is None:
        return None
    return style[0] if value else style[1]
