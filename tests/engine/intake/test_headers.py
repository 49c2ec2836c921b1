"""Headers understood by meaning: stacked and broken headers, code rows, units, content checks,
the park roster, actionable refusals and remembered templates.

No header in these tests is one of the held-out spellings (checked by `_sheet`): those are kept
out of the recognizer and its tests to measure recognition honestly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from stdnum.cn import uscc

from liangxin.cli import main
from liangxin.engine.intake import read_extracts
from liangxin.engine.intake.config import file_pattern
from liangxin.engine.intake.headers import header_key
from liangxin.engine.intake.vocabulary import SPLIT_SEED, collected, held_out_spellings, split
from liangxin.engine.schema import SCHEMAS, Kind

# Held out for some kind and known for none (a kind's default may be another's held-out one).
HELD_OUT = (
    {s.text for s in split()[1]}
    - {s.text for s in split()[0]}
    - {h for schema in SCHEMAS.values() for f in schema.fields for h in f.headers}
)


def code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


CODES = [code(f"9137132{n:03d}MA3C4QL") for n in range(6)]
SOCIAL = [code(f"5237132{n:03d}MJ77123") for n in range(6)]
COMPANIES = [f"临沭县宏达{n}号商贸有限公司" for n in range(6)]


def _sheet(path: Path, rows: list[list], merges: tuple = (), data_from: int = 0) -> Path:
    """A workbook of one sheet; merges are (first_row, first_col, last_row, last_col, text);
    the rows above ``data_from`` (default: all with no number in them) are header rows."""
    data_from = data_from or next(
        (i for i, row in enumerate(rows) if any(isinstance(c, int) for c in row)), len(rows)
    )
    texts = [c for row in rows[:data_from] for c in row if isinstance(c, str)]
    texts += [m[4] for m in merges]
    held = {header_key(t)[0] for t in texts} & {header_key(h)[0] for h in HELD_OUT}
    assert not held, f"held-out spellings in a test: {held}"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    for r1, c1, r2, c2, text in merges:
        sheet.merge_range(r1, c1, r2, c2, text)
    book.close()
    return path


def _only(folder: Path):
    intake = read_extracts(folder)
    assert len(intake.files) == 1
    return intake, intake.files[0]


def test_three_row_header_with_groups_over_sub_columns(tmp_path: Path) -> None:
    """An outer group over an inner group over 正式党员/预备党员: the lowest label names the
    column; labels merged down all three rows stand alone."""
    merges = (
        (0, 0, 0, 6, "临沭县两新组织党组织信息（截至2020年5月）"),
        (1, 0, 3, 0, "序号"),
        (1, 1, 3, 1, "党组织名称"),
        (1, 2, 3, 2, "组建方式"),
        (1, 3, 3, 3, "所在单位"),
        (1, 4, 1, 6, "组织情况"),
        (2, 4, 2, 5, "党员情况"),
        (2, 6, 3, 6, "书记"),
    )
    rows = [
        [],
        [],
        [],
        [None, None, None, None, "正式党员", "预备党员"],
        [1, "中共临沭县宏达0号商贸有限公司支部委员会", "单独组建", COMPANIES[0], 5, 1, "王建国"],
        [
            2,
            "中共临沭县宏达联合支部委员会",
            "联合组建",
            "、".join(COMPANIES[1:3]),
            "7人",
            0,
            "李华",
        ],
    ]
    _sheet(tmp_path / "党组织.xlsx", rows, merges)
    intake, report = _only(tmp_path)
    assert report.kind is Kind.PARTY_ORG and report.error is None
    party = intake.records[Kind.PARTY_ORG]
    assert party["source_row"].to_list() == [5, 6]
    assert party["formal_members"].to_list() == [5, 7]
    assert party["probationary_members"].to_list() == [1, 0]
    assert party["secretary"].to_list() == ["王建国", "李华"]
    assert report.unknown_headers == []


def test_code_row_under_the_header_is_not_data(tmp_path: Path) -> None:
    rows = [
        ["临沭县社保参保单位名单"],
        ["序号", "统一社会信用代码", "单位名称", "参保人数", "参保状态"],
        ["甲", "A", "B", "C1", "C2"],
        *[[n + 1, CODES[n], COMPANIES[n], 10 + n, "正常参保"] for n in range(3)],
    ]
    _sheet(tmp_path / "参保.xlsx", rows)
    intake, report = _only(tmp_path)
    assert report.kind is Kind.INSURANCE
    assert (report.accepted, report.rejected) == (3, 0)
    assert intake.records[Kind.INSURANCE]["source_row"].to_list() == [4, 5, 6]


def test_header_cells_broken_over_lines_and_over_two_rows(tmp_path: Path) -> None:
    """“参保\\n人数” in one cell, and “社会信用” over “代码” in two unmerged rows."""
    rows = [
        ["社会信用", "单位\n名称", "参保\n人数", "参保\r\n状态"],
        ["代码", None, None, None],
        *[[CODES[n], COMPANIES[n], f"{20 + n}人", "正常"] for n in range(3)],
    ]
    _sheet(tmp_path / "参保.xlsx", rows, data_from=2)
    intake, report = _only(tmp_path)
    assert report.kind is Kind.INSURANCE
    records = intake.records[Kind.INSURANCE]
    assert records["credit_code"].to_list() == CODES[:3]
    assert records["insured"].to_list() == [20, 21, 22]


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        ("营业收入(元)", [23_500_000, 8_000_000], [2350.0, 800.0]),
        ("营业收入（万元）", [2350, 800], [2350.0, 800.0]),
        ("营业收入/万元", [2350, 800], [2350.0, 800.0]),
        ("营业收入\n（单位：元）", [23_500_000, 8_000_000], [2350.0, 800.0]),
    ],
)
def test_units_in_headers_are_hints_for_the_values(tmp_path, header, values, expected) -> None:
    rows = [
        ["纳税人识别号", "纳税人名称", header, "实缴税额(万元)", "纳税人状态"],
        *[[CODES[n], COMPANIES[n], v, 12, "正常"] for n, v in enumerate(values)],
    ]
    _sheet(tmp_path / "税务.xlsx", rows)
    intake, report = _only(tmp_path)
    assert report.kind is Kind.TAX
    assert intake.records[Kind.TAX]["revenue_wan"].to_list() == expected


def test_count_units_and_numbered_headers(tmp_path: Path) -> None:
    rows = [
        ["1.统一社会信用代码", "2.单位名称", "3.从业人员(人)", "4.是否有固定场所", "5.经营状况"],
        *[[CODES[n], COMPANIES[n], 8 + n, "是", "正常经营"] for n in range(3)],
    ]
    _sheet(tmp_path / "摸排.xlsx", rows)
    intake, report = _only(tmp_path)
    assert report.kind is Kind.SURVEY
    survey = intake.records[Kind.SURVEY]
    assert survey["employees"].to_list() == [8, 9, 10]
    assert survey["has_premises"].to_list() == [True, True, True]


def test_park_roster_headed_by_plain_words(tmp_path: Path) -> None:
    """The roster a hidden county sent: 名称 / 类型 / 级别 / 所在镇街 / 入驻单位."""
    rows = [
        ["临沭县园区楼宇名录"],
        ["名称", "类型", "级别", "所在镇街", "入驻单位"],
        ["临沭经济开发区", "园区", "省级", "临沭街道", "、".join(COMPANIES[:3])],
        ["临沭商务大厦", "楼宇", "县级", "郑山街道", f"{COMPANIES[3]}；{CODES[4]}"],
    ]
    _sheet(tmp_path / "园区楼宇.xlsx", rows, data_from=2)
    intake, report = _only(tmp_path)
    assert report.kind is Kind.PARK and report.error is None
    parks = intake.records[Kind.PARK]
    assert parks["park_name"].to_list() == ["临沭经济开发区", "临沭商务大厦"]
    assert parks["level"].to_list() == ["省级", "县级"]
    assert parks["park_kind"].to_list() == ["园区", "楼宇"]


def test_content_overrules_a_header_and_finds_the_code_column(tmp_path: Path) -> None:
    """“成立日期” over names is not a date column; an untitled column of valid codes is the
    code column; the social organizations' codes (5…) keep the file out of the registry;
    登记管理机关 is known and not needed, so not asked about."""
    rows = [
        ["单位名称", "组织类型", "成立日期", "编码", "登记状态", "登记管理机关"],
        *[
            [f"临沭县书法{n}协会", "社会团体", f"张{n}三", SOCIAL[n], "正常", "临沭县民政局"]
            for n in range(6)
        ],
    ]
    _sheet(tmp_path / "社会组织.xlsx", rows, data_from=1)
    intake, report = _only(tmp_path)
    assert report.kind is Kind.SOCIAL_ORG
    read = {c.label: c for c in report.columns}
    assert read["成立日期"].field == "" and "内容不像" in read["成立日期"].why
    assert read["编码"].field == "credit_code" and read["编码"].by_content
    assert read["登记管理机关"].why == "台账不需要此列" and not read["登记管理机关"].asks
    assert intake.records[Kind.SOCIAL_ORG]["credit_code"].to_list() == SOCIAL


def test_refusal_names_each_column_and_what_to_do(tmp_path: Path) -> None:
    rows = [["单位名称", "分组", "备用"], *[[COMPANIES[n], "甲组", "x"] for n in range(3)]]
    _sheet(tmp_path / "补充2020年5月.xlsx", rows, data_from=1)
    _, report = _only(tmp_path)
    assert report.error is not None
    assert "「单位名称」→" in report.error
    assert "未识别的列：" in report.error and "「分组」（如：甲组）" in report.error
    assert "核对列" in report.error and "liangxin.toml" in report.error
    assert report.questions  # everything is asked about a refused file


def test_columns_write_remembers_the_template_and_next_month_asks_nothing(
    tmp_path: Path, capsys
) -> None:
    rows = [
        ["统一社会信用代码", "单位名称", "职工总数", "参保状态", "分组"],
        *[[CODES[n], COMPANIES[n], 30 + n, "正常", "甲组"] for n in range(3)],
    ]
    _sheet(tmp_path / "参保补充2020年5月.xlsx", rows)
    first = read_extracts(tmp_path).files[0]
    assert first.kind is Kind.INSURANCE and first.questions
    assert main(["columns", str(tmp_path), "--write"]) == 0
    assert "已写入" in capsys.readouterr().out
    manifest = (tmp_path / "liangxin.toml").read_text(encoding="utf-8")
    assert f'[columns."{file_pattern("参保补充2020年5月.xlsx")}"]' in manifest
    assert '"分组" = ""' in manifest  # not used, and not asked about again
    (tmp_path / "参保补充2020年5月.xlsx").rename(tmp_path / "参保补充2020年6月.xlsx")
    intake = read_extracts(tmp_path)
    again = intake.files[0]
    assert again.kind is Kind.INSURANCE and again.questions == []
    assert intake.records[Kind.INSURANCE]["insured"].to_list() == [30, 31, 32]
    assert next(c for c in again.columns if c.label == "分组").why == "已确认不用"


def test_spellings_are_split_in_halves_by_a_fixed_seed() -> None:
    vocabulary, held = split()
    assert split() == (vocabulary, held)  # deterministic
    assert split(SPLIT_SEED + 1) != (vocabulary, held)
    everything = collected()
    assert len(vocabulary) + len(held) == len(everything)
    assert {s.provenance for s in everything} == {"field", "practice"}
    per_field: dict = {}
    for s in everything:
        per_field.setdefault((s.kind, s.field), []).append(s)
    rich = [k for k, v in per_field.items() if len(v) >= 8]
    assert len(rich) >= 0.8 * len(per_field)
    # every field with spellings to spare keeps some out of the recognizer
    assert all(held_out_spellings(k)[f] for k, f in rich)
