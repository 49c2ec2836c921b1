"""Write tables as .xlsx (streamed, constant memory) or .csv, reporting every data row's
physical position (Excel row number / CSV line number) to the ground truth."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import xlsxwriter

from liangxin.synth.tables import Row, Table

EXCEL_MAX_ROWS = 1_048_576
# No wall clock anywhere: every workbook claims the same creation time.
CREATED = dt.datetime(2020, 6, 1, 9, 0, 0)


class RowSink(Protocol):
    def add(self, file: str, sheet: str, row_no: int, kind: str, row: Row) -> None: ...


def write_xlsx(path: Path, kind: str, tables: Iterable[Table], sink: RowSink) -> int:
    """Rows are written strictly in order (constant_memory); returns the count of data rows."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False},
    )
    workbook.set_properties({"created": CREATED, "author": "", "company": ""})
    title_fmt = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    header_fmt = workbook.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    date_fmts: dict[str, object] = {}
    total = 0
    for table in tables:
        sheet = workbook.add_worksheet(table.sheet)
        date_fmt = date_fmts.setdefault(
            table.date_format, workbook.add_format({"num_format": table.date_format})
        )
        columns = table.headers
        for c, column in enumerate(columns):
            sheet.set_column(c, c, column.width)
        r = 0
        if table.title:
            sheet.merge_range(0, 0, 0, len(columns) - 1, table.title, title_fmt)
            r = 1
        for line in table.preamble:
            sheet.write_string(r, 0, line)
            r += 1
        r = _write_header(sheet, r, columns, header_fmt, header_rows(columns))
        if table.code_row:
            for c, code in enumerate(table.code_row):
                sheet.write_string(r, c, code, header_fmt)
            r += 1
        count = 0
        write_string, write_number, write_datetime = (
            sheet.write_string,
            sheet.write_number,
            sheet.write_datetime,
        )
        offset = 1 if table.seq_header else 0
        for row in table.rows:
            if r >= EXCEL_MAX_ROWS - 2:
                raise ValueError(f"{path.name}/{table.sheet}: more rows than Excel allows")
            if row is None:
                r += 1
                continue
            count += 1
            if offset:
                write_number(r, 0, count)
            for c, value in enumerate(row.cells, offset):
                if value is None or value == "":
                    continue
                if type(value) is str:
                    write_string(r, c, value)
                elif type(value) is dt.date:
                    write_datetime(r, c, value, date_fmt)
                else:
                    write_number(r, c, value)
            sink.add(path.name, table.sheet, r + 1, kind, row)
            r += 1
        for line in table.footer(count):
            if len(line) == 1:
                sheet.merge_range(r, 0, r, len(columns) - 1, line[0])
            else:
                for c, value in enumerate(line):
                    sheet.write(r, c, value)
            r += 1
        total += count
    workbook.close()
    return total


def header_rows(columns) -> list[list[tuple[str, int]]]:
    """The header as rows of (text, span): group labels over the columns they span (a group
    may have an outer group, written "outer|inner"), each column's own header under its groups
    and blank below it (a merged cell reads as its value over blanks). Span 0 marks a blank."""
    paths = [c.group.split("|") if c.group else [] for c in columns]
    depth = max((len(p) for p in paths), default=0)
    rows: list[list[tuple[str, int]]] = []
    for level in range(depth + 1):
        row: list[tuple[str, int]] = []
        c = 0
        while c < len(columns):
            path = paths[c]
            if level < len(path):
                end = c
                while (
                    end + 1 < len(columns)
                    and len(paths[end + 1]) > level
                    and paths[end + 1][: level + 1] == path[: level + 1]
                ):
                    end += 1
                row.append((path[level], end - c + 1))
                row += [("", 0)] * (end - c)
                c = end + 1
                continue
            row.append((columns[c].header, 1) if level == len(path) else ("", 0))
            c += 1
        rows.append(row)
    return rows


def _write_header(sheet, r: int, columns, fmt, depth_rows) -> int:
    """The header rows, written strictly top to bottom (constant_memory): group labels merged
    across their columns, a column's own header merged down to the header's last row."""
    last = r + len(depth_rows) - 1
    paths = [c.group.split("|") if c.group else [] for c in columns]
    for level, row in enumerate(depth_rows):
        for c, (text, span) in enumerate(row):
            if span == 0:
                if level > len(paths[c]):  # under a header merged down
                    sheet.write_blank(r + level, c, None, fmt)
                continue
            own = level == len(paths[c])
            if span > 1:
                sheet.merge_range(r + level, c, r + level, c + span - 1, text, fmt)
            elif own and r + level < last:
                # merge_range without a format writes no blanks below, so this row stays open
                sheet.merge_range(r + level, c, last, c, text)
                sheet.write_string(r + level, c, text, fmt)
            else:
                sheet.write_string(r + level, c, text, fmt)
    return last + 1


def write_csv(path: Path, kind: str, table: Table, encoding: str, sink: RowSink) -> int:
    """One table as CSV; a cell with a line break makes its record span several lines."""
    count = 0
    line = 1
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")

        def put(cells) -> int:
            texts = ["" if v is None else str(v) for v in cells]
            writer.writerow(texts)
            return 1 + sum(t.count("\n") for t in texts)

        if table.title:
            line += put([table.title])
        for text in table.preamble:
            line += put([text])
        for row in header_rows(table.headers):
            line += put([text for text, _ in row])
        if table.code_row:
            line += put(table.code_row)
        for row in table.rows:
            if row is None:
                line += put([])
                continue
            count += 1
            start = line
            line += put(((count,) if table.seq_header else ()) + row.cells)
            sink.add(path.name, "", start, kind, row)
        for footer in table.footer(count):
            line += put(footer)
    return count
