"""Intake on files as officials send them, and on files that are not extracts at all."""

from __future__ import annotations

import datetime
import random
import re
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from liangxin.engine.intake import read_extracts
from liangxin.engine.schema import Kind

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def valid_code(body17: str) -> str:
    from stdnum.cn import uscc

    return body17 + uscc.calc_check_digit(body17)


A = valid_code("91371329MA3C4QLT0")
B = valid_code("91371329MA3C5XYB1")
C = valid_code("52371329MJ7712345")


def write_social_org_xlsx(path: Path) -> None:
    """A 民政 extract: title row, two-row merged header, blank row, 合计 and notes rows."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("城关镇")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, 7, "临沭县社会组织名录（截至2020年5月）")
    sheet.merge_range(1, 0, 2, 0, "序号")
    sheet.merge_range(1, 1, 1, 3, "基本情况")
    sheet.write_row(2, 1, ["社会组织名称", "统一社会信用代码", "社会组织类型"])
    sheet.merge_range(1, 4, 2, 4, "业务主管单位")
    sheet.merge_range(1, 5, 2, 5, "成立登记日期")
    sheet.merge_range(1, 6, 2, 6, "从业人员数")
    sheet.merge_range(1, 7, 2, 7, "登记状态")
    sheet.write_row(3, 0, [1, "临沭县 书法家协会", C.lower(), "社会团体", "县文联"])
    sheet.write_datetime(3, 5, datetime.datetime(2015, 6, 1), date)
    sheet.write_row(3, 6, ["12人", "正常"])
    sheet.write_row(5, 0, [2, "（空白）", "", "社会团体", "", "2016年3月5日", "若干", "正常"])
    sheet.write_row(6, 0, [3, "临沭县慈善基金会", "", "基金会", "县民政局", 42005, 3, "正常"])
    sheet.write_row(7, 0, ["合计", "", "", "", "", "", 15])
    sheet.write(8, 0, "注：数据来源于县民政局社会组织管理系统。")
    book.close()


def write_tax_csv(path: Path, encoding: str) -> None:
    lines = [
        "临沭县2019年度纳税人名录",
        "纳税人识别号,纳税人名称,营业收入（元）,实缴税额,纳税人状态",
        f'{A},临沭县华泰商贸有限责任公司,23500000,"1,200",正常',
        f"{B[:-1]}X,山东宏达机械有限公司,8000000,300,非正常",
        ",,,,",
        "合计,,31500000,1500,",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_social_org_xlsx(tmp_path / "民政局社会组织.xlsx")
    write_tax_csv(tmp_path / "税务2019.csv", "gbk")
    return tmp_path


def test_two_row_header_and_row_classes(folder: Path) -> None:
    intake = read_extracts(folder)
    social = intake.records[Kind.SOCIAL_ORG]
    assert social["source_row"].to_list() == [4, 7]  # Excel rows: data only
    first = social.row(0, named=True)
    assert first["name"] == "临沭县 书法家协会"
    assert first["credit_code"] == C
    assert first["org_type"] == "社会团体"
    assert first["founded_on"] == datetime.date(2015, 6, 1)
    assert first["staff"] == 12
    assert social.row(1, named=True)["founded_on"] == datetime.date(
        2015, 1, 1
    )  # Excel serial 42005
    rejects = intake.rejects.filter(pl.col("source_file") == "民政局社会组织.xlsx")
    assert rejects["source_row"].to_list() == [6]
    assert "社会组织名称" in rejects["reason"][0]
    report = next(r for r in intake.files if r.file == "民政局社会组织.xlsx")
    assert (report.accepted, report.rejected) == (2, 1)


def test_gbk_csv_with_title_and_units(folder: Path) -> None:
    tax = read_extracts(folder).records[Kind.TAX]
    assert tax["source_row"].to_list() == [3, 4]  # CSV line numbers a person sees
    assert tax["revenue_wan"].to_list() == [2350.0, 800.0]  # header says 元
    assert tax["tax_paid_wan"].to_list()[0] == pytest.approx(1200.0)


def test_invalid_code_is_a_problem_not_a_reject(folder: Path) -> None:
    intake = read_extracts(folder)
    problems = intake.problems.filter(pl.col("source_file") == "税务2019.csv")
    assert problems["source_row"].to_list() == [4]
    assert problems["column"][0] == "纳税人识别号"
    assert "校验位" in problems["problem"][0]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    write_tax_csv(tmp_path / "tax.csv", encoding)
    tax = read_extracts(tmp_path).records[Kind.TAX]
    assert tax["name"].to_list() == ["临沭县华泰商贸有限责任公司", "山东宏达机械有限公司"]


def test_files_that_are_not_extracts_do_not_stop_the_others(folder: Path) -> None:
    (folder / "空文件.xlsx").write_bytes(b"")
    (folder / "照片.xlsx").write_bytes(PNG_BYTES)
    book = xlsxwriter.Workbook(folder / "随便写写.xlsx")
    sheet = book.add_worksheet("Sheet1")
    rng = random.Random(7)
    for r in range(30):
        sheet.write_row(
            r,
            0,
            ["".join(rng.choice("的一是在不了有和人这中大为") for _ in range(8)) for _ in range(5)],
        )
    book.close()
    (folder / "说明.docx").write_bytes(b"PK\x03\x04 not really")
    intake = read_extracts(folder)
    errors = {r.file: r.error for r in intake.files if r.error}
    assert set(errors) == {"空文件.xlsx", "照片.xlsx", "随便写写.xlsx", "说明.docx"}
    assert "为空" in errors["空文件.xlsx"]
    assert "无法作为Excel" in errors["照片.xlsx"]
    assert "表头" in errors["随便写写.xlsx"]
    assert "不是表格文件" in errors["说明.docx"]
    assert all(e.startswith("文件「") for e in errors.values())
    assert intake.records[Kind.TAX].height == 2 and intake.records[Kind.SOCIAL_ORG].height == 2


def test_truncated_csv_rejects_the_cut_row(tmp_path: Path) -> None:
    write_tax_csv(tmp_path / "tax.csv", "utf-8")
    data = (tmp_path / "tax.csv").read_bytes()
    cut = data[: data.index(b"8000000") + 3]  # cut inside the second data row
    (tmp_path / "tax.csv").write_bytes(cut)
    intake = read_extracts(tmp_path)
    report = intake.files[0]
    assert report.error is None and any("截断" in n for n in report.notes)
    assert intake.records[Kind.TAX]["source_row"].to_list() == [3]
    assert intake.rejects["source_row"].to_list() == [4]
    assert "截断" in intake.rejects["reason"][0]


def test_xls_file(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("参保")
    sheet.write(0, 0, "2020年参保单位名单")
    for c, h in enumerate(["统一社会信用代码", "参保单位名称", "参保人数", "参保状态"]):
        sheet.write(1, c, h)
    for c, v in enumerate([A, "临沭县华泰商贸有限公司", "35人", "正常参保"]):
        sheet.write(2, c, v)
    book.save(str(tmp_path / "人社.xls"))
    insurance = read_extracts(tmp_path).records[Kind.INSURANCE]
    assert insurance.row(0, named=True)["insured"] == 35
    assert insurance["source_row"].to_list() == [3]


def test_manifest_names_kind_and_maps_headers(tmp_path: Path) -> None:
    lines = ["统一社会信用代码,单位全称,职工总数", f"{A},临沭县华泰商贸有限公司,40"]
    (tmp_path / "补充.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    without = read_extracts(tmp_path)
    assert without.files[0].error is not None
    (tmp_path / "liangxin.toml").write_text(
        '[files]\n"补充.csv" = "insurance"\n[headers]\n"单位全称" = "name"\n"职工总数" = "insured"\n',
        encoding="utf-8",
    )
    insurance = read_extracts(tmp_path).records[Kind.INSURANCE]
    assert insurance.row(0, named=True)["insured"] == 40
    assert insurance.row(0, named=True)["name"] == "临沭县华泰商贸有限公司"


def test_bad_manifest_names_the_key(tmp_path: Path) -> None:
    from liangxin.engine.intake.config import ManifestError

    (tmp_path / "liangxin.toml").write_text('[headers]\n"职工总数" = "workers"\n', encoding="utf-8")
    with pytest.raises(ManifestError, match="职工总数.*workers"):
        read_extracts(tmp_path)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ('[files]\n"a.xlsx" = "registry"\n[files]\n', "第3行第7列附近"),
        ('[files]\n"a.xlsx" = "reg', "文件末尾"),
    ],
)
def test_a_manifest_that_is_not_toml_is_explained_in_chinese(
    tmp_path: Path, text: str, place: str
) -> None:
    from liangxin.engine.intake.config import ManifestError

    (tmp_path / "liangxin.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        read_extracts(tmp_path)
    message = str(caught.value)
    assert "liangxin.toml" in message and place in message
    assert not re.search(r"[A-Za-z]{4,}", message.replace("liangxin.toml", "").replace("TOML", ""))
