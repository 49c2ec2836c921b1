"""Read a spreadsheet or CSV file into raw sheets of text cells, keeping physical row numbers.

Nothing is interpreted here: every cell is text (or null) and every row carries the row number a
person sees in Excel (or the line number in a text editor for CSV), so that every later message
and link can be found by hand.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from liangxin.engine.intake.errors import FileProblem

logger = logging.getLogger(__name__)

ROW = "source_row"
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
CSV_SUFFIXES = {".csv", ".txt"}
SUPPORTED_SUFFIXES = SPREADSHEET_SUFFIXES | CSV_SUFFIXES


@dataclass
class RawSheet:
    """One sheet as text: columns ``c0 … cN`` plus ``source_row`` (1-based, physical)."""

    file: str  # file name without folders
    sheet: str  # sheet name; "" for CSV
    cells: pl.DataFrame
    truncated: bool = False  # a CSV whose last record was cut off

    @property
    def columns(self) -> list[str]:
        return [c for c in self.cells.columns if c != ROW]


def read_file(path: Path) -> list[RawSheet]:
    """All sheets of one file. Raises FileProblem with a Chinese message for unreadable files."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise FileProblem(path.name, "文件为空（0字节）")
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_workbook(path)
    if suffix in CSV_SUFFIXES:
        return [_read_csv(path)]
    raise FileProblem(path.name, f"不支持的文件类型“{path.suffix}”，请使用 .xlsx、.xls 或 .csv")


def _read_workbook(path: Path) -> list[RawSheet]:
    # The legacy .xls reader can abort the whole process on a damaged file (a panic while
    # panicking), which no except clause catches; such files are read in a child process.
    loaded = _load_isolated(path) if path.suffix.lower() == ".xls" else _load_sheets(path)
    if isinstance(loaded, str):
        raise FileProblem(path.name, loaded)
    return [
        RawSheet(
            path.name,
            name,
            frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
            .with_row_index(ROW, offset=1)
            .with_columns(pl.col(ROW).cast(pl.Int64)),
        )
        for name, frame in loaded
    ]


def _load_sheets(path: Path) -> list[tuple[str, pl.DataFrame]] | str:
    """Every sheet as text cells, or the Chinese reason the file cannot be opened."""
    import fastexcel

    kind = "Excel 工作簿" if path.suffix.lower() != ".xls" else "Excel 97-2003 工作簿"
    try:
        reader = fastexcel.read_excel(path)
        # skip_rows=0 keeps leading blank rows, so row i is Excel row i + 1.
        return [
            (
                name,
                reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string").to_polars(),
            )
            for name in reader.sheet_names
        ]
    except BaseException as exc:  # fastexcel raises several exception types for broken files
        # A panic in the Rust reader (calamine) arrives as pyo3's PanicException, which derives
        # from BaseException; anything else of that kind (Ctrl-C, exit) must go through.
        if not isinstance(exc, Exception):
            if type(exc).__name__ != "PanicException":
                raise
            return f"无法作为{kind}打开（文件损坏或不完整）"
        # The reader's text is English and names the server's path: it goes to the log only.
        logger.warning("%s: unreadable workbook: %s", path.name, exc)
        return f"无法作为{kind}打开（文件损坏或并非表格文件）"


def _load_isolated(path: Path) -> list[tuple[str, pl.DataFrame]] | str:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        try:
            return pool.submit(_load_sheets, path).result()
        except BrokenProcessPool:
            return "无法作为Excel 97-2003 工作簿打开（文件损坏，读取时程序异常退出）"


def decode_text(data: bytes, file: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # A file cut in the middle of a multi-byte character still decodes except for its tail.
    for encoding in ("utf-8", "gb18030"):
        try:
            return data[:-3].decode(encoding) + data[-3:].decode(encoding, errors="replace")
        except UnicodeDecodeError:
            continue
    raise FileProblem(file, "无法识别文件编码（应为 UTF-8 或 GBK/GB18030）")


def _read_csv(path: Path) -> RawSheet:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise FileProblem(path.name, "不是文本格式的 CSV 文件（含二进制内容）")
    text = decode_text(data, path.name)
    records, starts = _csv_records(text, path.name)
    width = max((len(r) for r in records), default=0)
    if width == 0:
        raise FileProblem(path.name, "文件中没有任何内容")
    columns = {f"c{i}": [r[i] if i < len(r) else None for r in records] for i in range(width)}
    frame = pl.DataFrame(columns, schema={c: pl.String for c in columns}).with_columns(
        pl.Series(ROW, starts, dtype=pl.Int64)
    )
    frame = frame.select(ROW, *columns).with_columns(pl.col(c).replace("", None) for c in columns)
    truncated = bool(text) and not text.endswith(("\n", "\r"))
    return RawSheet(path.name, "", frame, truncated=truncated)


def _csv_records(text: str, file: str) -> tuple[list[list[str]], list[int]]:
    """Parse CSV records and the physical line each starts on (quoted cells may span lines)."""
    head = text[:8192]
    # Officials' CSVs are comma-separated; a tab-separated export is the only other shape seen.
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    starts: list[int] = []
    previous_end = 0
    try:
        for record in reader:
            records.append(record)
            starts.append(previous_end + 1)
            previous_end = reader.line_num
    except csv.Error as exc:
        # The csv module's messages are English; say in Chinese what the official can fix.
        cause = (
            "单元格过长，多半是某个双引号没有配对，后面的内容都被并进了一个单元格"
            if "field larger than field limit" in str(exc)
            else "引号或分隔符不配对"
        )
        raise FileProblem(file, f"CSV 格式错误（第{previous_end + 1}行附近）：{cause}") from exc
    return records, starts
