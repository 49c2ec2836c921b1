"""Read the generated extracts back the way a person sees them: physical row numbers, text cells,
and each sheet's header (the row, or two rows, just above its first data row)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from liangxin.synth import Summary

N_ORGS = 2000  # the size of the county the tests share


@dataclass
class Sheet:
    file: str
    sheet: str  # "" for CSV
    rows: dict[int, list[str | None]]  # physical row number → cells as text

    def headers(self, first_data_row: int) -> list[str]:
        """Header labels per column; a two-row header takes the lower label where there is one."""
        lower = self.rows.get(first_data_row - 1, [])
        upper = self.rows.get(first_data_row - 2, [])
        two_rows = any(c is None for c in lower) and any(upper)
        labels = []
        for i, cell in enumerate(lower):
            above = upper[i] if i < len(upper) else None
            labels.append(cell if cell is not None else (above if two_rows and above else ""))
        return labels


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path) -> list[Sheet]:
    workbook = openpyxl.load_workbook(path)
    sheets = []
    for ws in workbook.worksheets:
        rows = {}
        for row in ws.iter_rows():
            cells = [_text(c.value) for c in row]
            if any(cells):
                rows[row[0].row] = cells
        sheets.append(Sheet(path.name, ws.title, rows))
    return sheets


def read_csv(path: Path, encoding: str) -> Sheet:
    text = path.read_bytes().decode(encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, line = {}, 0
    for record in reader:
        start = line + 1
        line = reader.line_num
        cells = [c if c != "" else None for c in record]
        if any(cells):
            rows[start] = cells
    return Sheet(path.name, "", rows)


def normal(text: str) -> str:
    """NFKC, no spaces, ASCII brackets."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def normal_code(text: str) -> str:
    return normal(text).replace("-", "").upper()


def read_truth(summary: Summary, name: str) -> list[dict[str, str]]:
    with (summary.out_dir / ".truth" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def column(headers: list[str], *labels: str) -> int | None:
    """Index of the first header starting with one of ``labels`` (after NFKC, no spaces)."""
    for i, header in enumerate(headers):
        if header and any(normal(header).startswith(normal(label)) for label in labels):
            return i
    return None
