"""Fuzzing the intake: no file, however malformed, may crash or hang ``read_extracts``.

Every property writes one file into an empty folder and reads the folder. The file must end up
either with a Chinese error naming it, or with accepted/rejected counts that agree with the
records and rejects frames. A ``signal.alarm`` guard turns a hang (> 30 s) into a failure naming
the example; it is a hang detector, not a speed test.
"""

from __future__ import annotations

import datetime
import faulthandler
import io
import re
import signal
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liangxin.engine.intake import Intake, read_extracts
from liangxin.engine.schema import SCHEMAS, Kind

HANG_SECONDS = 30
CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGALRM"), reason="the hang guard needs signal.alarm"
)


class Hang(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in the intake eats it."""


@contextmanager
def hang_guard(example: str) -> Iterator[None]:
    def on_alarm(signum, frame):
        raise Hang(f"read_extracts hung for more than {HANG_SECONDS} s on {example}")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(HANG_SECONDS)
    # The alarm is only handled between Python bytecodes; a hang inside native code (the Excel
    # reader) is ended by faulthandler instead, with every thread's traceback on stderr.
    faulthandler.dump_traceback_later(HANG_SECONDS + 30, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read_one(name: str, data: bytes, example: str) -> None:
    """Write ``data`` as ``name`` into a fresh folder, read it, check the report invariants."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / name).write_bytes(data)
        with hang_guard(f"{example} ({len(data)} bytes as {name})"):
            try:
                intake = read_extracts(folder)
            except (Hang, KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # pragma: no cover - the failure being hunted
                # BaseException: a Rust panic in the Excel reader is pyo3's PanicException.
                pytest.fail(f"read_extracts raised {exc!r} on {example} ({len(data)} bytes)")
        check_reports(intake, name)


def check_reports(intake: Intake, name: str) -> None:
    assert [r.file for r in intake.files] == [name]
    report = intake.files[0]
    if report.error is not None:
        assert report.error.strip()
        assert CJK.search(report.error), report.error
        assert name in report.error, report.error
        return
    assert report.kind is not None
    records = sum(
        frame.filter(pl.col("source_file") == name).height for frame in intake.records.values()
    )
    rejects = intake.rejects.filter(pl.col("source_file") == name).height
    assert (report.accepted, report.rejected) == (records, rejects)
    assert report.skipped_rows >= 0
    for frame in [*intake.records.values(), intake.rejects, intake.problems]:
        assert frame["source_row"].null_count() == 0
        assert (frame["source_row"] >= 1).all()


# ---------------------------------------------------------------------------------------------
# Strategies

HEADERS = {
    kind: [h for f in schema.fields for h in f.headers[:1]] for kind, schema in SCHEMAS.items()
}
IDENTITY = {
    kind: [f.headers[0] for f in schema.fields if f.name in schema.identity]
    for kind, schema in SCHEMAS.items()
}
KINDS = sorted(HEADERS)


@st.composite
def header_rows(draw) -> list[str]:
    """A real header row of one kind: an identity label plus some others, in a random order."""
    kind: Kind = draw(st.sampled_from(KINDS))
    labels = HEADERS[kind]
    chosen = draw(st.lists(st.sampled_from(labels), min_size=2, max_size=len(labels), unique=True))
    identity = draw(st.sampled_from(IDENTITY[kind]))
    return draw(st.permutations([identity, *(h for h in chosen if h != identity)]))


# Text without surrogates (which no encoding can write), with control characters and quotes.
cell_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.text(
        st.sampled_from('",\r\n\t\x00\x1a\x7f\\ 合计注：（）无0１２３临沭县有限公司'), max_size=12
    ),
    st.sampled_from(["", "无", "合计", "注：数据来源", "12人", "1,200", "2016年3月5日", "是"]),
    st.builds(lambda s, n: s * n, st.text(max_size=5), st.integers(1000, 40_000)),  # long cells
)


# ---------------------------------------------------------------------------------------------
# (a) random bytes as a spreadsheet or CSV

MAGIC = [
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\xef\xbb\xbf",
    b"\x89PNG\r\n\x1a\n",
]


@FUZZ
@given(
    prefix=st.sampled_from(MAGIC),
    body=st.binary(max_size=4096),
    suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt", ".xlsm"]),
)
def test_random_bytes(prefix: bytes, body: bytes, suffix: str) -> None:
    read_one(f"随机{suffix}", prefix + body, f"random bytes {(prefix + body)[:40]!r}")


# ---------------------------------------------------------------------------------------------
# (b) CSV text with a real header and random cells, in several encodings, damaged or not

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk"]


@FUZZ
@given(
    title=st.booleans(),
    header=header_rows(),
    rows=st.lists(st.lists(cell_text, max_size=12), max_size=15),
    delimiter=st.sampled_from([",", ",", "\t", ";"]),
    quoted=st.booleans(),
    newline=st.sampled_from(["\r\n", "\n", "\r"]),
    encoding=st.sampled_from(ENCODINGS),
    damage=st.just([])
    | st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=4)), max_size=3),
    cut=st.none() | st.integers(0, 10**6),
)
def test_csv_with_random_cells(
    title, header, rows, delimiter, quoted, newline, encoding, damage, cut
) -> None:
    table = ([["临沭县2020年数据"]] if title else []) + [header, *rows]
    if quoted:
        import csv

        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(table)
        text = buffer.getvalue()
    else:
        text = newline.join(delimiter.join(row) for row in table) + newline
    data = text.encode(encoding, errors="replace")
    for offset, junk in damage:  # invalid byte sequences spliced in
        at = offset % (len(data) + 1)
        data = data[:at] + junk + data[at:]
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    example = f"CSV ({encoding}, header {header}, {len(rows)} rows, damage {damage}, cut {cut})"
    read_one("数据.csv", data, example)


# ---------------------------------------------------------------------------------------------
# (c) a valid xlsx, then damaged: truncated, bytes flipped, a zip member dropped


def xlsx_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("城关镇")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["临沭县数据汇总表"])
    sheet.write_row(1, 0, header)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            write_cell(sheet, r, c, value, date_format)
    book.close()
    return buffer.getvalue()


def write_cell(sheet, r: int, c: int, value: object, date_format) -> None:
    match value:
        case None:
            sheet.write_blank(r, c, None)
        case bool():
            sheet.write_boolean(r, c, value)
        case int() | float():
            sheet.write_number(r, c, value)
        case datetime.datetime() | datetime.date() | datetime.time():
            sheet.write_datetime(r, c, value, date_format)
        case ("formula", str() as formula):
            sheet.write_formula(r, c, formula)
        case ("url", str() as url):
            sheet.write_url(r, c, url, string="链接")
        case _:
            sheet.write_string(r, c, str(value)[:32767])


VALID_XLSX = xlsx_bytes(
    ["序号", "统一社会信用代码", "企业名称", "企业类型", "注册资本（万元）", "成立日期"],
    [
        [i, "91371329MA3C4QLT0X", f"临沭县第{i}有限公司", "有限责任公司", 100.5, 42005]
        for i in range(20)
    ],
)


def flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    mutable = bytearray(data)
    for at, mask in flips:
        if mutable:
            mutable[at % len(mutable)] ^= mask
    return bytes(mutable)


def rewrite_member(data: bytes, index: int, change) -> tuple[bytes, str]:
    """Rewrite the archive with one member changed (``change`` returns None to drop it).

    The archive stays a well-formed zip with correct checksums, so the damage reaches the XML
    parsers instead of stopping at the zip layer.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    members = source.infolist()
    chosen = members[index % len(members)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in members:
            content = source.read(member.filename)
            if member.filename == chosen.filename:
                content = change(content)
                if content is None:
                    continue
            target.writestr(member, content)
    return out.getvalue(), chosen.filename


@FUZZ
@given(
    header=header_rows(),
    rows=st.lists(st.lists(cell_text, max_size=8), max_size=8),
    mutation=st.sampled_from(["truncate", "flip", "drop", "garble", "cut"]),
    offset=st.integers(0, 10**7),
    flips=st.lists(st.tuples(st.integers(0, 10**7), st.integers(1, 255)), min_size=1, max_size=8),
)
def test_damaged_xlsx(header, rows, mutation, offset, flips) -> None:
    data = xlsx_bytes(header, rows) if rows else VALID_XLSX
    match mutation:
        case "truncate":  # the zip cut at a random offset
            data = data[: 1 + offset % (len(data) - 1)]
            what = f"xlsx truncated to {len(data)} bytes"
        case "flip":  # random bytes of the zip flipped
            data = flip(data, flips)
            what = f"xlsx with bytes flipped at {[(a % len(data), m) for a, m in flips]}"
        case "drop":  # a zip member left out
            data, member = rewrite_member(data, offset, lambda content: None)
            what = f"xlsx without member {member}"
        case "garble":  # a member's XML with bytes flipped, inside a valid zip
            data, member = rewrite_member(data, offset, lambda content: flip(content, flips))
            what = f"xlsx with member {member} flipped at {flips}"
        case _:  # a member's XML cut short, inside a valid zip
            data, member = rewrite_member(
                data, offset, lambda content: content[: flips[0][0] % (len(content) + 1)]
            )
            what = f"xlsx with member {member} cut at {flips[0][0]}"
    read_one("工商登记.xlsx", data, f"{what}, header {header}")


def xls_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("参保")
    sheet.write(0, 0, "2020年参保单位名单")
    for c, label in enumerate(header):
        sheet.write(1, c, label)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            sheet.write(r, c, value[:32767])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


xls_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20
)


def test_truncated_xls_is_a_file_error_not_a_panic(tmp_path: Path) -> None:
    """Found by test_damaged_xls: calamine panics on a cut .xls, and PanicException is a
    BaseException, which ``except Exception`` let through and stopped the whole intake."""
    data = xls_bytes(["统一社会信用代码", "参保单位名称", "参保人数"], [["x", "临沭县某公司", "3"]])
    (tmp_path / "人社.xls").write_bytes(data[: len(data) * 3 // 4])
    (tmp_path / "a.csv").write_text("统一社会信用代码,参保单位名称,参保人数\nx,临沭县甲公司,3\n")
    intake = read_extracts(tmp_path)
    errors = {r.file: r.error for r in intake.files}
    assert errors["a.csv"] is None
    assert (
        errors["人社.xls"]
        == "文件「人社.xls」：无法作为Excel 97-2003 工作簿打开（文件损坏或不完整）"
    )


@FUZZ
@given(
    header=header_rows(),
    rows=st.lists(st.lists(xls_text, max_size=8), max_size=8),
    mutation=st.sampled_from(["none", "truncate", "flip"]),
    offset=st.integers(0, 10**7),
    flips=st.lists(st.tuples(st.integers(0, 10**7), st.integers(1, 255)), min_size=1, max_size=8),
)
def test_damaged_xls(header, rows, mutation, offset, flips) -> None:
    data = xls_bytes(header, rows)
    match mutation:
        case "truncate":
            data = data[: 1 + offset % (len(data) - 1)]
        case "flip":
            data = flip(data, flips)
    what = f"xls ({mutation}, offset {offset}, flips {flips}), header {header}, rows {rows!r:.300}"
    read_one("人社.xls", data, what)


# ---------------------------------------------------------------------------------------------
# (d) a valid xlsx whose data cells are random values of every type

any_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 1, 1)),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.times(),
    cell_text,
    st.tuples(
        st.just("formula"), st.sampled_from(["=1/0", "=A1", "=SUM(A1:A3)", "=NA()", '="合计"'])
    ),
    st.tuples(st.just("url"), st.sampled_from(["https://example.com", "mailto:a@b.cn"])),
)


@FUZZ
@given(header=header_rows(), rows=st.lists(st.lists(any_value, max_size=12), max_size=12))
def test_xlsx_with_random_typed_cells(header, rows) -> None:
    read_one(
        "数据.xlsx", xlsx_bytes(header, rows), f"xlsx with header {header} and rows {rows!r:.300}"
    )
