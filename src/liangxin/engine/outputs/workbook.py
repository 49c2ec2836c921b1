"""Write report-quality sheets: grouped two-row headers, frozen panes, filters, widths.

A sheet is described by its columns (group, header, source column, width); the writer streams
rows (xlsxwriter's constant-memory mode) and continues on “名称(2)” when a table is longer than
Excel allows. Every text cell is written as a string, so nothing a department typed can turn
into a formula.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import xlsxwriter

EXCEL_MAX_ROWS = 1_048_576
FIXED_DATE = datetime.datetime(2000, 1, 1)  # document properties; keeps builds byte-identical


@dataclass(frozen=True)
class Column:
    header: str
    source: str  # column of the frame
    width: float = 12
    group: str | None = None  # the merged label above the header, if any


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: Sequence[Column]
    frame: pl.DataFrame
    title: str | None = None


class Book:
    """An xlsx file being written; use as a context manager."""

    def __init__(self, path: Path, max_rows: int = EXCEL_MAX_ROWS):
        self.book = xlsxwriter.Workbook(
            path, {"constant_memory": True, "strings_to_formulas": False}
        )
        self.book.set_properties({"created": FIXED_DATE, "author": "liangxin"})
        self.max_rows = max_rows
        self.title = self.book.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        )
        self.head = self.book.add_format(
            {
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#DDEBF7",
            }
        )
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc) -> None:
        self.book.close()

    def add(self, sheet: Sheet) -> None:
        grouped = any(c.group for c in sheet.columns)
        top = 1 if sheet.title else 0
        header_rows = 2 if grouped else 1
        capacity = self.max_rows - top - header_rows
        parts = max(1, -(-sheet.frame.height // capacity))
        for part in range(parts):
            name = sheet.name if part == 0 else f"{sheet.name}({part + 1})"
            chunk = sheet.frame.slice(part * capacity, capacity)
            self._write_part(name, sheet, chunk, top, header_rows)

    def _write_part(
        self, name: str, sheet: Sheet, chunk: pl.DataFrame, top: int, header_rows: int
    ) -> None:
        ws = self.book.add_worksheet(name)
        last_col = len(sheet.columns) - 1
        if sheet.title:
            ws.merge_range(0, 0, 0, max(last_col, 1), sheet.title, self.title)
        self._write_header(ws, sheet.columns, top, header_rows)
        for c, column in enumerate(sheet.columns):
            ws.set_column(c, c, column.width)
        first_data = top + header_rows
        frame = chunk.select([pl.col(c.source) for c in sheet.columns])
        for r, row in enumerate(frame.iter_rows(), start=first_data):
            self._write_row(ws, r, row)
        ws.freeze_panes(first_data, 0)
        ws.autofilter(first_data - 1, 0, first_data - 1 + chunk.height, last_col)

    def _write_header(self, ws, columns: Sequence[Column], top: int, header_rows: int) -> None:
        if header_rows == 1:
            for c, column in enumerate(columns):
                ws.write_string(top, c, column.header, self.head)
            return
        spans = _group_spans(columns)
        # constant_memory flushes a row once a later row is written, so the group row is
        # written completely before the header row.
        for first, last, group in spans:
            label = group or columns[first].header
            if last > first:
                ws.merge_range(top, first, top, last, label, self.head)
            else:
                ws.write_string(top, first, label, self.head)
        for first, last, group in spans:
            if group is None:
                # Ungrouped headers span both rows; the value is already in the top row.
                ws.merge_range(top, first, top + 1, first, columns[first].header, self.head)
            else:
                for k in range(first, last + 1):
                    ws.write_string(top + 1, k, columns[k].header, self.head)

    def _write_row(self, ws, r: int, row: Iterable) -> None:
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                ws.write_string(r, c, "是" if value else "否")
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif isinstance(value, datetime.date):
                ws.write_datetime(
                    r, c, datetime.datetime.combine(value, datetime.time()), self.date
                )
            else:
                ws.write_string(r, c, spreadsheet_text(str(value)))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Text that a spreadsheet program will not take for a formula (formula injection): a
    value starting with = + - @ (or a tab or carriage return) gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _group_spans(columns: Sequence[Column]) -> list[tuple[int, int, str | None]]:
    """(first, last, group) runs of adjacent columns sharing a group; ungrouped ones alone."""
    spans: list[tuple[int, int, str | None]] = []
    for c, column in enumerate(columns):
        if column.group and spans and spans[-1][2] == column.group and spans[-1][1] == c - 1:
            spans[-1] = (spans[-1][0], c, column.group)
        else:
            spans.append((c, c, column.group))
    return spans
