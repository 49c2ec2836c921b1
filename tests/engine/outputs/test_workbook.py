"""The sheet writer (outputs/workbook.py), read back by openpyxl, calamine (fastexcel) and
LibreOffice: layout (merged title and headers, frozen pane, filter, widths), values of every
kind, the documented escaping of text, split sheets, chunked streaming, and a real build.

Documented escaping: characters XML 1.0 forbids are dropped; text starting with = + - @ tab or
carriage return gets a leading apostrophe; "_xHHHH_" is written as "_x005F_xHHHH_" so Excel
shows it literally (calamine decodes that, openpyxl does not).
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import fastexcel
import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liangxin.engine.outputs import workbook
from liangxin.engine.outputs.ledger import write_ledger
from liangxin.engine.outputs.workbook import Book, Column, Sheet, spreadsheet_text

ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
COLUMNS = [
    Column("序号", "seq", 6),
    Column("名称", "name", 30, "基本情况"),
    Column("人数", "employees", 10, "基本情况"),
    Column("收入", "revenue", 12, "基本情况"),
    Column("成立时间", "founded", 12),
    Column("是否规上", "above", 8, "覆盖"),
    Column("说明", "note", 40),
]


def expected_text(text: str) -> str | None:
    """What a reader that decodes Excel's escapes (Excel, calamine) shows for ``text``."""
    shown = spreadsheet_text(ILLEGAL.sub("", text))
    return shown or None  # an empty string is an empty cell


def openpyxl_text(value: str | None) -> str | None:
    """openpyxl leaves Excel's "_x005F_" escape in place."""
    return value.replace("_x005F_", "") if isinstance(value, str) else value


def sample() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "seq": [1, 2, 3, 4],
            "name": ["A&B<C>\"D'", "=1+1", "\x01@SUM(A1)", "_x0041_ 普通"],
            "employees": [10, None, 0, -5],
            "revenue": [1.5, math.nan, math.inf, 1e20],
            "founded": [date(2020, 7, 1), None, date(1900, 1, 1), date(1900, 3, 1)],
            "above": [True, False, None, True],
            "note": ["行一\n行二", "a\rb", " 前后空格 ", None],
        },
        schema_overrides={"employees": pl.Int64},
    )


def write(path: Path, frame: pl.DataFrame, title: str | None = "县两新组织台账", **book) -> Path:
    with Book(path, **book) as out:
        out.add(Sheet("台账", COLUMNS, frame, title))
    return path


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return write(tmp_path / "book.xlsx", sample())


def test_layout_merges_freezes_filters_and_widths(book_path: Path) -> None:
    sheet = openpyxl.load_workbook(book_path)["台账"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # title across all columns; a group across its columns; ungrouped headers down both rows
    assert merged == {"A1:G1", "B2:D2", "A2:A3", "E2:E3", "G2:G3"}
    assert [sheet.cell(2, c).value for c in range(1, 8)] == [
        *("序号", "基本情况", None, None, "成立时间", "覆盖", "说明"),
    ]
    assert [sheet.cell(3, c).value for c in range(1, 8)] == [
        *(None, "名称", "人数", "收入", None, "是否规上", None),
    ]
    assert (
        sheet["A1"].value == "县两新组织台账" and sheet["A1"].font.b and sheet["A1"].font.sz == 14
    )
    head = sheet["B2"]
    assert head.font.b and head.border.left.style == "thin" and head.alignment.wrap_text
    assert head.fill.fgColor.rgb.endswith("DDEBF7")
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:G7"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFG"]
    assert [round(w) for w in widths] == [7, 31, 11, 13, 13, 9, 41]
    assert sheet.cell(4, 5).number_format == 'yyyy"年"m"月"d"日"'


def test_a_single_header_row_without_title(tmp_path: Path) -> None:
    columns = [Column("甲", "a", 8), Column("乙", "b", 8)]
    path = tmp_path / "plain.xlsx"
    with Book(path) as out:
        out.add(Sheet("表", columns, pl.DataFrame({"a": [1], "b": ["x"]})))
    sheet = openpyxl.load_workbook(path)["表"]
    assert list(sheet.iter_rows(values_only=True)) == [("甲", "乙"), (1, "x")]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:B2"
    assert not sheet.merged_cells.ranges


def test_every_cell_names_its_reference(book_path: Path) -> None:
    """Readers other than Excel (Java, .NET, older Python libraries) need ``r`` on each cell."""
    with zipfile.ZipFile(book_path) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    cells = re.findall(r"<c[ >/]([^>]*)", xml)
    assert cells and all(re.match(r'r="[A-Z]+[0-9]+"', attributes) for attributes in cells)
    references = re.findall(r'<c r="([A-Z]+)([0-9]+)"', xml)
    row_numbers = [int(n) for n in re.findall(r'<row r="([0-9]+)"', xml)]
    assert row_numbers == sorted(set(row_numbers))
    assert {int(row) for _, row in references} <= set(row_numbers)


def test_values_in_openpyxl(book_path: Path) -> None:
    rows = list(openpyxl.load_workbook(book_path)["台账"].iter_rows(min_row=4, values_only=True))
    assert rows[0] == (1, "A&B<C>\"D'", 10, 1.5, datetime(2020, 7, 1), "是", "行一\n行二")
    assert rows[1] == (2, "'=1+1", None, None, None, "否", "a\rb")
    assert rows[2] == (3, "'@SUM(A1)", 0, None, datetime(1900, 1, 1), None, " 前后空格 ")
    assert rows[3][:4] == (4, "_x005F_x0041_ 普通", -5, 1e20)
    assert rows[3][4] == datetime(1900, 3, 1) and rows[3][6] is None


def test_values_in_calamine(book_path: Path) -> None:
    sheet = fastexcel.read_excel(str(book_path)).load_sheet("台账", header_row=None, skip_rows=3)
    frame = sheet.to_polars()
    assert frame.row(0) == (1.0, "A&B<C>\"D'", 10.0, 1.5, datetime(2020, 7, 1), "是", "行一\n行二")
    assert frame.row(3)[1] == "_x0041_ 普通"  # calamine decodes Excel's escape
    assert frame[:, 2].to_list() == [10, None, 0, -5]
    assert frame[:, 3].to_list() == [1.5, None, None, 1e20]


def test_libreoffice_reads_values_in_place(book_path: Path, tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (scripts/test.sh installs it)")
    done = subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path / "csv"),
            str(book_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rows = pl.read_csv(tmp_path / "csv" / "book.csv", has_header=False, infer_schema=False).rows()
    assert rows[0][0] == "县两新组织台账"
    assert rows[1][:2] == ("序号", "基本情况") and rows[2][1:4] == ("名称", "人数", "收入")
    assert rows[3] == ("1", "A&B<C>\"D'", "10", "1.5", "2020年7月1日", "是", "行一\n行二")
    assert rows[4][:3] == ("2", "'=1+1", None) and rows[4][5] == "否"
    assert rows[6][4] == "1900年3月1日" and rows[6][2] == "-5"


def test_long_tables_continue_on_numbered_sheets(tmp_path: Path) -> None:
    frame = pl.DataFrame({"seq": range(1, 11), "name": [f"单位{k}" for k in range(1, 11)]})
    frame = frame.with_columns(
        employees=pl.lit(1), revenue=pl.lit(1.0), founded=pl.lit(date(2020, 1, 1))
    ).with_columns(above=pl.lit(True), note=pl.lit("x"))
    path = write(tmp_path / "split.xlsx", frame, max_rows=7)  # title + 2 headers + 4 rows
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["台账", "台账(2)", "台账(3)"]
    seqs = [[r[0] for r in ws.iter_rows(min_row=4, values_only=True)] for ws in book.worksheets]
    assert seqs == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    assert [ws.auto_filter.ref for ws in book.worksheets] == ["A3:G7", "A3:G7", "A3:G5"]
    assert all(ws.freeze_panes == "A4" and ws["A1"].value for ws in book.worksheets)
    assert fastexcel.read_excel(str(path)).sheet_names == book.sheetnames


def test_empty_table_keeps_its_headers(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.xlsx", sample().clear())
    sheet = openpyxl.load_workbook(path)["台账"]
    assert sheet.max_row == 3 and sheet.auto_filter.ref == "A3:G3"


def test_sheet_names_are_escaped_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "names.xlsx"
    frame = pl.DataFrame({"a": [1]})
    with Book(path) as out:
        out.add(Sheet("A&B<C>'D\"", [Column("甲", "a")], frame))
        out.add(Sheet("x" * 31, [Column("甲", "a")], frame))
    assert openpyxl.load_workbook(path).sheetnames == ["A&B<C>'D\"", "x" * 31]
    for bad in ("x" * 32, "a/b", "", "A&B<C>'D\""):
        with Book(tmp_path / "bad.xlsx") as out:
            out.add(Sheet("A&B<C>'D\"", [Column("甲", "a")], frame))
            with pytest.raises(ValueError, match="工作表名称"):
                out.add(Sheet(bad, [Column("甲", "a")], frame))


def test_chunks_make_the_same_workbook_and_rebuilds_are_identical(tmp_path, monkeypatch):
    frame = pl.concat([sample()] * 13).with_columns(seq=pl.int_range(1, 53))
    whole = write(tmp_path / "whole.xlsx", frame).read_bytes()
    assert write(tmp_path / "again.xlsx", frame).read_bytes() == whole
    monkeypatch.setattr(workbook, "CHUNK_ROWS", 5)
    assert write(tmp_path / "chunked.xlsx", frame).read_bytes() == whole


def test_write_ledger_keeps_other_types_as_text(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "cat": pl.Series(["=甲", None], dtype=pl.Categorical),
            "when": [datetime(2021, 5, 6, 7, 8), None],
            "none": [None, None],
        }
    )
    columns = [Column("类", "cat"), Column("时间", "when"), Column("空", "none")]
    write_ledger(tmp_path / "t.xlsx", [Sheet("表", columns, frame)])
    rows = list(openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(values_only=True))
    assert rows[:2] == [("类", "时间", "空"), ("'=甲", datetime(2021, 5, 6), None)]
    assert all(value is None for row in rows[2:] for value in row)  # an all-null row has no cells
    with pytest.raises(TypeError):
        write_ledger(
            tmp_path / "l.xlsx", [Sheet("表", [Column("列", "l")], pl.DataFrame({"l": [[1]]}))]
        )


# Any character (but lone surrogates, which no str of Polars holds), often the tricky ones.
TRICKY = st.sampled_from(list("\r\n\t =+-@&<>\"'_x0041F\x00\x01\x0b\x1f\ufffe\uffff普"))
TEXT = st.text(st.one_of(TRICKY, st.characters(exclude_categories=["Cs"])), max_size=40)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, min_size=1, max_size=8))
def test_any_text_comes_back_as_written(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "any.xlsx"
    frame = pl.DataFrame({"text": texts, "n": range(len(texts))})
    write_ledger(path, [Sheet("表", [Column("文本", "text"), Column("号", "n")], frame, "标题")])
    expected = [expected_text(t) for t in texts]
    rows = list(openpyxl.load_workbook(path).active.iter_rows(min_row=3, values_only=True))
    assert [openpyxl_text(r[0]) or None for r in rows] == expected
    assert [r[1] for r in rows] == list(range(len(texts)))
    calamine = fastexcel.read_excel(str(path)).load_sheet(
        0, header_row=None, skip_rows=2, dtypes="string"
    )
    assert [t or None for t in calamine.to_polars()[:, 0].to_list()] == expected


def test_a_generated_county_reads_the_same_in_openpyxl_and_calamine(tmp_path: Path) -> None:
    from liangxin.cli import main
    from liangxin.synth import generate

    generate(tmp_path / "部门数据", seed=7, n_orgs=800)
    args = ["build", str(tmp_path / "部门数据"), "--out", str(tmp_path / "out"), "--no-progress"]
    assert main([*args, "--as-of", "2020-07-01"]) == 0
    path = tmp_path / "out" / "台账.xlsx"
    book = openpyxl.load_workbook(path, read_only=True)
    calamine = fastexcel.read_excel(str(path))
    assert calamine.sheet_names == book.sheetnames
    for name in book.sheetnames:
        ours = [
            tuple(_plain(v) for v in row)
            for row in book[name].iter_rows(values_only=True)
            if any(v is not None for v in row)
        ]
        theirs = calamine.load_sheet(name, header_row=None, dtypes="string").to_polars()
        theirs_rows = [
            tuple(_plain(v) for v in row)
            for row in theirs.rows()
            if any(v is not None for v in row)
        ]
        assert [r[: len(ours[0])] for r in theirs_rows] == ours, name


def _plain(value) -> str | None:
    """A cell as text both readers agree on (numbers without a needless .0, dates as days)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if re.fullmatch(r"-?\d+\.0", text):
        return text[:-2]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} 00:00:00", text):
        return text[:10]
    return openpyxl_text(text)
