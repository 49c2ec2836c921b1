"""What one uploaded file may cost, checked before any analysis (docs/security.md, 资源控制).

A small xlsx can hold millions of rows (it is a zip of XML); reading it whole would take the
server's memory and time. Each limit is a setting. The checks read the zip's directory, then
stream every member once, a chunk at a time and nothing kept: each sheet's XML is counted (rows
and cell positions), and every member must end where the directory says. A refusal costs
seconds and no memory. The file's size is checked while it is received
(``SizeLimitedUploadHandler``), before it is even stored.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler

logger = logging.getLogger(__name__)

MB = 1024 * 1024
CHUNK = MB
ZIP_SUFFIXES = {".xlsx", ".xlsm"}
TEXT_SUFFIXES = {".csv", ".txt"}
# A sheet's XML: <worksheet> (maybe with a namespace prefix, as <x:worksheet>), then
# <dimension ref="A1:F900"/>, rows <row r="12"> and cells <c r="AB12">; a row or cell may leave
# out its position (then it follows the previous one).
WORKSHEET = re.compile(rb"<(\w+:)?worksheet\b")
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')
POSITION = re.compile(rb'\sr="([A-Z]*)(\d+)"')
TAIL = 200  # the last tag of a chunk, if it starts this near the end, waits for the next


class Refused(ValueError):
    """An upload refused before analysis; the Chinese message names the file and, for a limit,
    the limit and its setting."""


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    uncompressed_bytes: int
    sheets: int
    rows: int
    cells: int

    @classmethod
    def current(cls) -> Limits:
        return cls(
            settings.LIANGXIN_UPLOAD_MAX_MB * MB,
            settings.LIANGXIN_UPLOAD_MAX_UNCOMPRESSED_MB * MB,
            settings.LIANGXIN_UPLOAD_MAX_SHEETS,
            settings.LIANGXIN_UPLOAD_MAX_ROWS,
            settings.LIANGXIN_UPLOAD_MAX_CELLS,
        )

    def describe(self) -> str:
        """The limits as the upload page states them."""
        return (
            f"每个文件不超过 {self.file_bytes // MB:,} MB（xlsx 解压后不超过 "
            f"{self.uncompressed_bytes // MB:,} MB），不超过 {self.sheets:,} 个工作表，"
            f"每个工作表不超过 {self.rows:,} 行，单元格总数不超过 {self.cells:,} 个"
        )


def _refuse(name: str, what: str, limit: str, setting: str) -> Refused:
    logger.warning("upload %s refused: %s (limit %s, %s)", name, what, limit, setting)
    return Refused(
        f"文件“{name}”{what}，超过了{limit}的上限（设置项 {setting}），未导入。"
        "请拆分文件或请管理员调整上限"
    )


def size_refusal(name: str, limits: Limits) -> Refused:
    return _refuse(
        name,
        f"大于 {limits.file_bytes // MB} MB",
        f"单个文件 {limits.file_bytes // MB} MB",
        "LIANGXIN_UPLOAD_MAX_MB",
    )


def check_file(path: Path, name: str, limits: Limits | None = None) -> None:
    """Raise ``Refused`` if the stored upload would cost more than the limits allow.

    A file that is not what its suffix says passes: the reader then reports it as unreadable.
    Legacy .xls files are bounded by their size and their format (65,536 rows × 256 columns).
    """
    limits = limits or Limits.current()
    if path.stat().st_size > limits.file_bytes:
        raise size_refusal(name, limits)
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES and zipfile.is_zipfile(path):
        _check_workbook(path, name, limits)
    elif suffix in TEXT_SUFFIXES:
        _check_text(path, name, limits)


def _check_workbook(path: Path, name: str, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, name, limits)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, RuntimeError) as exc:
        # A reader might still open it, trusting what cannot be checked: refuse it here.
        logger.warning("upload %s: damaged archive: %s", name, exc)
        raise Refused(f"文件“{name}”已损坏或加密，无法检查其内容，未导入") from None


def _check_archive(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    members = archive.infolist()
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.uncompressed_bytes:
        raise _refuse(
            name,
            f"解压后为 {unpacked / MB:,.0f} MB",
            f"解压后 {limits.uncompressed_bytes // MB:,} MB",
            "LIANGXIN_UPLOAD_MAX_UNCOMPRESSED_MB",
        )
    sheets = [m for m in members if re.fullmatch(r"xl/worksheets/[^/]+\.xml", m.filename)]
    if len(sheets) > limits.sheets:
        raise _refuse(
            name,
            f"有 {len(sheets)} 个工作表",
            f"每个文件 {limits.sheets} 个工作表",
            "LIANGXIN_UPLOAD_MAX_SHEETS",
        )
    cells = 0
    for number, member in enumerate(sheets, start=1):

        def check(stream, number=number, before=cells):
            return _check_sheet(stream, name, number, limits, before)

        cells += _read_member(archive, member, name, check)
    for member in members:
        if member not in sheets:
            _read_member(archive, member, name, _drain)


def _drain(stream) -> int:
    while stream.read(CHUNK):
        pass
    return 0


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, read) -> int:
    """Read one member to its end and make sure it ends where its header says: the sizes in a
    zip's directory are only claims, and a reader trusting the stream instead would unpack
    what the checks never saw."""
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Refused(f"文件“{name}”使用了表格文件不用的压缩方式，无法检查其内容，未导入")
    with archive.open(member) as stream:
        result = read(stream)
        if member.compress_type == zipfile.ZIP_DEFLATED:
            ended = stream._decompressor.eof  # zipfile keeps no public flag
        else:
            ended = stream._compress_left <= 0
    if not ended:
        logger.warning("upload %s: %s is longer than its header says", name, member.filename)
        raise Refused(f"文件“{name}”中“{member.filename}”的实际内容与声明的大小不符，未导入")
    return result


def _check_sheet(stream, name: str, number: int, limits: Limits, before: int) -> int:
    """Stream one sheet's XML; the cells the reader would lay out (rows × widest column)."""
    scan = _SheetScan()
    tail = b""
    while chunk := stream.read(CHUNK):
        data = tail + chunk
        if not scan.started:
            scan.start(data)
        # A tag cut at the chunk's end is scanned whole with the next chunk.
        cut = data.rfind(b"<", max(len(data) - TAIL, 0))
        cut = cut if cut > 0 else len(data)
        scan.feed(data[:cut])
        tail = data[cut:]
        _check_counts(name, number, limits, scan.rows, scan.cells + before)
    scan.feed(tail)
    _check_counts(name, number, limits, scan.rows, scan.cells + before)
    return scan.cells


class _SheetScan:
    """Rows and cells so far, counted in C (bytes.count, one findall per chunk), not per tag.

    A row or cell without a position follows the previous one; a reader lays out every row and
    column up to the furthest position. Extra elements starting with ``<c`` (``<cols>``…) count
    as cells: a slight overcount, on the safe side."""

    def __init__(self):
        self.started = False
        self.row_tag, self.cell_tag = b"<row", b"<c"
        self.dimension = self.tags = self.numbered = self.highest = self.width = self.count = 0

    def start(self, data: bytes) -> None:
        root = WORKSHEET.search(data)
        if root is None:
            return
        self.started = True
        prefix = root.group(1) or b""
        self.row_tag, self.cell_tag = b"<" + prefix + b"row", b"<" + prefix + b"c"
        if dim := DIMENSION.search(data):
            self.width = _column_number(dim.group(1))
            self.dimension = int(dim.group(2))

    def feed(self, data: bytes) -> None:
        self.tags += data.count(self.row_tag) - data.count(self.row_tag + b"Breaks")
        self.count += data.count(self.cell_tag)
        positions = POSITION.findall(data) if b'r="' in data else []
        self.numbered += sum(1 for letters, _ in positions if not letters)
        self.highest = max([self.highest, *(int(row) for _, row in positions)])
        columns = {letters for letters, _ in positions if letters}
        self.width = max([self.width, *(_column_number(c) for c in columns)])

    @property
    def rows(self) -> int:
        if self.numbered in (0, self.tags):
            rows = max(self.highest, self.tags)
        else:  # some rows numbered, some following: at most this many
            rows = self.highest + self.tags - self.numbered
        return max(rows, self.dimension)

    @property
    def cells(self) -> int:
        return max(self.count, self.rows * self.width)


def _check_counts(name: str, number: int, limits: Limits, rows: int, cells: int) -> None:
    if rows > limits.rows:
        raise _refuse(
            name,
            f"第 {number} 个工作表超过 {limits.rows:,} 行",
            f"每个工作表 {limits.rows:,} 行",
            "LIANGXIN_UPLOAD_MAX_ROWS",
        )
    if cells > limits.cells:
        raise _refuse(
            name,
            f"的单元格超过 {limits.cells:,} 个",
            f"每个文件 {limits.cells:,} 个单元格",
            "LIANGXIN_UPLOAD_MAX_CELLS",
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_text(path: Path, name: str, limits: Limits) -> None:
    """A CSV: lines and separators, counted in chunks (a quoted line break counts too)."""
    rows = cells = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            lines = chunk.count(b"\n")
            rows += lines
            cells += chunk.count(b",") + lines
            _check_counts(name, 1, limits, rows, cells)


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    """Stop receiving a file once it is larger than ``LIANGXIN_UPLOAD_MAX_MB``: the rest is read
    and dropped, never stored; the view finds the refusal in ``request.upload_refusals``."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        self.received = 0
        self.limits = Limits.current()
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limits.file_bytes:
            refusals = getattr(self.request, "upload_refusals", [])
            refusals.append(str(size_refusal(self.file_name, self.limits)))
            self.request.upload_refusals = refusals
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)
