"""A sheet as officials lay it out: title, header (one or two rows), data rows with blank and
garbage rows in between, duplicates, and 合计/notes rows at the bottom."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from liangxin.synth.mess import MessRates

T = TypeVar("T")

LINK, REF, REJECT = "link", "ref", "reject"


@dataclass(frozen=True, slots=True)
class Row:
    """One data row; ``expect`` tells what a correct intake does with it."""

    cells: tuple[object, ...]
    expect: str
    org_id: str = ""
    entity_id: str = ""
    mess: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    group: str = ""  # merged above the consecutive columns of one group; "outer|inner" nests
    width: float = 12


@dataclass
class Table:
    sheet: str  # "" for CSV
    columns: Sequence[Column]
    rows: Iterable[Row | None]  # None is a blank row inside the data
    title: str = ""
    preamble: tuple[str, ...] = ()  # lines between the title and the header
    seq_header: str = ""  # a running 序号 column in front, if set
    footer: Callable[[int], list[tuple[object, ...]]] = field(default=lambda count: [])
    date_format: str = "yyyy-mm-dd"
    code_row: tuple[str, ...] = ()  # column codes (A, B, C1 …) written under the header

    @property
    def headers(self) -> list[Column]:
        seq = [Column(self.seq_header, width=6)] if self.seq_header else []
        return seq + list(self.columns)


def pick(rng: random.Random, *options: T) -> T:
    return rng.choice(options)


def sprinkle(
    items: Sequence[T],
    make_row: Callable[[T, tuple[str, ...]], Row],
    rates: MessRates,
    garbage: Callable[[], Row],
    rng: random.Random,
) -> Iterator[Row | None]:
    """Rows for ``items`` in order, with duplicates a few rows later, blank rows, and garbage
    rows (at the rate, plus one in a quarter of the sheets)."""
    pending: list[tuple[int, T]] = []
    forced_garbage = rng.randrange(len(items)) if items and rng.random() < 0.25 else -1
    for n, item in enumerate(items):
        yield make_row(item, ())
        if rng.random() < rates.duplicate:
            pending.append((n + rng.randint(1, 30), item))
        for due in [p for p in pending if p[0] <= n]:
            pending.remove(due)
            yield make_row(due[1], ("duplicate",))
        if rng.random() < rates.blank_row:
            yield None
        if n == forced_garbage or rng.random() < rates.garbage:
            yield garbage()
    for _, item in pending:
        yield make_row(item, ("duplicate",))


def garbage_row(width: int, name_col: int, number_cols: Sequence[int], rng: random.Random) -> Row:
    """A row a person left behind: no code, and no name or a placeholder, maybe some numbers."""
    cells: list[object] = [None] * width
    if rng.random() < 0.5:
        cells[name_col] = rng.choice(("（空白）", "无", "/", "——"))
    for c in number_cols:
        cells[c] = rng.randint(0, 60)
    return Row(tuple(cells), REJECT, mess=("garbage",))


def totals_footer(
    note: str, unit: str = "户", label: str = "合计"
) -> Callable[[int], list[tuple[object, ...]]]:
    """合计 (or 小计) row with the count, then a one-cell note (merged across the sheet in Excel)."""

    def footer(count: int) -> list[tuple[object, ...]]:
        return [(label, f"共{count}{unit}"), (note,)]

    return footer


def joined(values: Sequence[str], rng: random.Random) -> str:
    """Several units in one cell, separated as people do: 、，,；; or line breaks."""
    return rng.choice(("、", "，", ",", "；", ";", "\n")).join(values)
