"""Write report-quality sheets: grouped two-row headers, frozen panes, filters, widths.

A sheet is described by its columns (group, header, source column, width). The writer produces
the worksheet XML itself: the few header rows in Python, the data rows by Polars over whole
columns (xlsx_cells), streamed into the zip a chunk of rows at a time, so memory stays bounded
by the chunk. A table longer than Excel allows continues on “名称(2)”. Every text cell is written
as a string, so nothing a department typed can turn into a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import polars as pl

from liangxin.engine.outputs.xlsx_cells import (
    ROW_NUMBER,
    STYLE_HEAD,
    STYLE_TITLE,
    column_letter,
    header_texts,
    max_xml_bytes,
    row_xml,
    spreadsheet_text,
)
from liangxin.engine.outputs.xlsx_package import MAIN_NS, REL_NS, XML_HEAD, entry, sheet_part
from liangxin.engine.outputs.xlsx_package import write_package as _write_package

__all__ = ["EXCEL_MAX_ROWS", "Book", "Column", "Sheet", "spreadsheet_text"]

EXCEL_MAX_ROWS = 1_048_576
CHUNK_ROWS = 2_000  # rows turned into XML at a time; measured fastest, and small
MAX_SHEET_NAME = 31
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


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
        self.zip = zipfile.ZipFile(path, "w")
        self.max_rows = max_rows
        self.parts: list[tuple[str, str | None]] = []  # (sheet name, filter range)

    def __enter__(self) -> Book:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        try:
            if exc_type is None:
                _write_package(self.zip, self.parts)
        finally:
            self.zip.close()

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
        self._check_name(name)
        index = len(self.parts)
        layout = _Layout(sheet, top, header_rows, chunk.height)
        data = chunk.select(
            pl.col(c.source).alias(str(k)) for k, c in enumerate(sheet.columns)
        ).with_row_index(ROW_NUMBER, offset=layout.first_data + 1)
        big = max_xml_bytes(data) >= zipfile.ZIP64_LIMIT
        with self.zip.open(entry(sheet_part(index)), "w", force_zip64=big) as out:
            out.write(layout.opening(selected=index == 0).encode())
            _stream_rows(out, data)
            out.write(layout.closing().encode())
        self.parts.append((name, layout.filter_ref))

    def _check_name(self, name: str) -> None:
        if len(name) > MAX_SHEET_NAME or not name or _BAD_SHEET_NAME.search(name):
            raise ValueError(f"工作表名称“{name}”不可用：最多 31 个字符，且不能含 []:*?/\\")
        if name.lower() in {existing.lower() for existing, _ in self.parts}:
            raise ValueError(f"工作表名称“{name}”重复")


def _stream_rows(out: IO[bytes], data: pl.DataFrame) -> None:
    """Write the <row> elements of ``data`` a chunk at a time; the zip compresses one chunk (in
    a thread: zlib lets go of the GIL) while Polars builds the next, so at most two are held."""
    rows = row_xml(data)
    with ThreadPoolExecutor(1) as compressor:
        pending: Future | None = None
        for offset in range(0, data.height, CHUNK_ROWS):
            buffer = io.BytesIO()
            data.slice(offset, CHUNK_ROWS).select(rows).write_csv(
                buffer, include_header=False, quote_style="never"
            )
            if pending:
                pending.result()
            pending = compressor.submit(out.write, buffer.getbuffer())
        if pending:
            pending.result()


class _Layout:
    """The XML of a worksheet around its data rows: views, widths, title and header rows,
    the filter and the merged cells. Rows are 0-based here, 1-based in the XML."""

    def __init__(self, sheet: Sheet, top: int, header_rows: int, n_rows: int):
        self.columns = sheet.columns
        self.title = sheet.title
        self.top = top
        self.header_rows = header_rows
        self.first_data = top + header_rows
        self.last = column_letter(len(self.columns) - 1)
        self.filter_ref = f"A{self.first_data}:{self.last}{self.first_data + n_rows}"
        self.merges: list[str] = []

    def opening(self, selected: bool) -> str:
        frozen = f"A{self.first_data + 1}"
        tab = ' tabSelected="1"' if selected else ""
        widths = "".join(
            f'<col min="{k + 1}" max="{k + 1}" width="{_excel_width(c.width)}" customWidth="1"/>'
            for k, c in enumerate(self.columns)
        )
        last_row = self.filter_ref.rsplit(":", 1)[1]
        return (
            XML_HEAD + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            f'<dimension ref="A1:{last_row}"/>'
            f'<sheetViews><sheetView{tab} workbookViewId="0">'
            f'<pane ySplit="{self.first_data}" topLeftCell="{frozen}" activePane="bottomLeft" '
            f'state="frozen"/><selection pane="bottomLeft" activeCell="{frozen}" '
            f'sqref="{frozen}"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
            + self._title_row()
            + self._header_rows()
        )

    def closing(self) -> str:
        merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in self.merges)
        return (
            f'</sheetData><autoFilter ref="{self.filter_ref}"/>'
            + (f'<mergeCells count="{len(self.merges)}">{merges}</mergeCells>' if merges else "")
            + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        )

    def _title_row(self) -> str:
        if not self.title:
            return ""
        last = max(len(self.columns) - 1, 1)
        self.merges.append(f"A1:{column_letter(last)}1")
        (title,) = header_texts([self.title])
        cells = [_text(0, 1, title, STYLE_TITLE)]
        cells += [_blank(k, 1, STYLE_TITLE) for k in range(1, last + 1)]
        return _row(1, cells)

    def _header_rows(self) -> str:
        headers = header_texts([c.header for c in self.columns])
        row = self.top + 1
        if self.header_rows == 1:
            return _row(row, [_text(k, row, h, STYLE_HEAD) for k, h in enumerate(headers)])
        spans = _group_spans(self.columns)
        groups = header_texts([g or "" for _, _, g in spans])
        upper, lower = [], []
        for (first, last, group), label in zip(spans, groups, strict=True):
            if group is None:
                # Ungrouped headers span both rows; the value is in the top row.
                self.merges.append(f"{column_letter(first)}{row}:{column_letter(first)}{row + 1}")
                upper.append(_text(first, row, headers[first], STYLE_HEAD))
                lower.append(_blank(first, row + 1, STYLE_HEAD))
                continue
            if last > first:
                self.merges.append(f"{column_letter(first)}{row}:{column_letter(last)}{row}")
            upper.append(_text(first, row, label, STYLE_HEAD))
            upper += [_blank(k, row, STYLE_HEAD) for k in range(first + 1, last + 1)]
            lower += [_text(k, row + 1, headers[k], STYLE_HEAD) for k in range(first, last + 1)]
        return _row(row, upper) + _row(row + 1, lower)


def _row(number: int, cells: list[str]) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def _text(column: int, row: int, escaped: str, style: int) -> str:
    return (
        f'<c r="{column_letter(column)}{row}" s="{style}" t="inlineStr">'
        f'<is><t xml:space="preserve">{escaped}</t></is></c>'
    )


def _blank(column: int, row: int, style: int) -> str:
    return f'<c r="{column_letter(column)}{row}" s="{style}"/>'


def _excel_width(width: float) -> float:
    """Excel's stored width for a width in characters (7-pixel digits plus 5 pixels padding)."""
    pixels = int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)
    return (pixels * 256 // 7) / 256


def _group_spans(columns: Sequence[Column]) -> list[tuple[int, int, str | None]]:
    """(first, last, group) runs of adjacent columns sharing a group; ungrouped ones alone."""
    spans: list[tuple[int, int, str | None]] = []
    for c, column in enumerate(columns):
        if column.group and spans and spans[-1][2] == column.group and spans[-1][1] == c - 1:
            spans[-1] = (spans[-1][0], c, column.group)
        else:
            spans.append((c, c, column.group))
    return spans
