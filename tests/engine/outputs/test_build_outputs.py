"""`liangxin build` end to end on a generated county: the files of docs/rules.md §R7, read back.

Checks what an official relies on: the ledger lists exactly the in-scope organizations with
masked personal data, the statistics agree with metrics.json, a rebuild is byte-identical, and
the 变更说明 against a previous build lists exactly what changed.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from liangxin.cli import main
from liangxin.engine.build import build
from liangxin.engine.policies import load_policy
from liangxin.engine.schema import SCHEMAS, Kind
from liangxin.synth import generate

AS_OF = date(2020, 7, 1)
LEDGER_SHEETS = [
    "汇总",
    "非公企业台账",
    "社会组织台账",
    "重点台账",
    "应建未建销号清单",
    "不纳入统计",
    "数据问题",
    "待人工确认",
    "未在登记信息中找到",
]
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def run_build(source: Path, out: Path, previous: Path | None = None) -> Path:
    build(source, out, load_policy("linyi-2020"), AS_OF, previous=previous)
    return out


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("county") / "部门数据"
    generate(folder, seed=1, n_orgs=3000)
    return folder


@pytest.fixture(scope="module")
def first(county: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_build(county, tmp_path_factory.mktemp("first"))


def orgs_csv(out: Path) -> pl.DataFrame:
    return pl.read_csv(out / "orgs.csv", infer_schema=False)


def data_rows(sheet, first_row: int) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=first_row, values_only=True) if any(row)]


def ledger_headers(sheet) -> list[str]:
    """Column headers under the title: the second header row, or the first where merged down."""
    groups, headers = sheet.iter_rows(min_row=2, max_row=3, values_only=True)
    return [header or group for group, header in zip(groups, headers, strict=True)]


def test_rows_found_in_no_register_are_listed_and_counted_per_town(
    county: Path, first: Path
) -> None:
    not_found = pl.read_csv(first / "not_found.csv", infer_schema=False)
    truth = pl.read_csv(county / ".truth" / "rows.csv", infer_schema=False)
    assert not_found.height > 0
    assert set(not_found["reason"]) == {"未在登记信息中找到"}
    # every one of them is a row of an organization no register knows
    found = not_found.with_columns(pl.col("source_sheet").fill_null("")).join(
        truth.select(
            pl.col("source_sheet").fill_null(""), "source_file", "source_row", true_org="org_id"
        ),
        on=["source_file", "source_sheet", "source_row"],
    )
    registered = pl.read_csv(county / ".truth" / "orgs.csv", infer_schema=False)
    in_registry = found.join(registered, left_on="true_org", right_on="org_id")["in_registry"]
    in_registry = in_registry.to_list()
    assert in_registry.count("false") == len(in_registry) == not_found.height
    book = openpyxl.load_workbook(first / "台账.xlsx", read_only=True)
    listed = data_rows(book["未在登记信息中找到"], 2)
    assert sorted((r[1], r[3]) for r in listed) == sorted(
        zip(not_found["source_file"], not_found["source_row"].cast(pl.Int64), strict=True)
    )
    summary = book["汇总"]
    headers = ledger_headers(summary)
    column = headers.index("未在登记信息中找到")
    rows = {r[headers.index("镇街")]: r[column] for r in data_rows(summary, 4)}
    assert rows["全县合计"] == not_found.height
    # rows of no stated 镇街 count in the county's total only
    per_town = not_found.drop_nulls("town").group_by("town").len()
    for town, n in per_town.iter_rows():
        assert rows[town] == n


def test_rebuild_is_byte_identical(county: Path, first: Path, tmp_path: Path) -> None:
    second = run_build(county, tmp_path / "second")
    for name in ("orgs.csv", "metrics.json", "links.csv", "rejects.csv", "tasks.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    for name in ("台账.xlsx", "metrics.xlsx"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_ledger_lists_exactly_the_in_scope_organizations(first: Path) -> None:
    orgs = orgs_csv(first)
    book = openpyxl.load_workbook(first / "台账.xlsx", read_only=True)
    assert book.sheetnames == LEDGER_SHEETS
    for sheet_name, kind in (("非公企业台账", "enterprise"), ("社会组织台账", "social_org")):
        sheet = book[sheet_name]
        # title, group row, header row, then data
        headers = ledger_headers(sheet)
        rows = data_rows(sheet, 4)
        ids = {row[headers.index("单位编号")] for row in rows}
        expected = orgs.filter((pl.col("kind") == kind) & (pl.col("in_scope") == "true"))
        assert ids == set(expected["org_id"])
        assert [row[0] for row in rows] == list(range(1, len(rows) + 1))  # 序号
    excluded = data_rows(book["不纳入统计"], 2)
    assert len(excluded) == orgs.filter(pl.col("in_scope") == "false").height
    assert all(row[4] for row in excluded)  # every exclusion has its reason


def test_ledger_rows_carry_the_values_of_orgs_csv(first: Path) -> None:
    orgs = {row["org_id"]: row for row in orgs_csv(first).iter_rows(named=True)}
    sheet = openpyxl.load_workbook(first / "台账.xlsx", read_only=True)["非公企业台账"]
    headers = ledger_headers(sheet)
    column = {name: headers.index(name) for name in ("企业名称", "从业人员数", "应建未建")}
    for row in data_rows(sheet, 4):
        org = orgs[row[headers.index("单位编号")]]
        assert row[column["企业名称"]] == org["name"]
        employees = row[column["从业人员数"]]
        assert (str(employees) if employees is not None else None) == org["employees"]
        assert row[column["应建未建"]] == ("是" if org["due_unestablished"] == "true" else "否")


def test_ledger_layout_and_masking(first: Path) -> None:
    book = openpyxl.load_workbook(first / "台账.xlsx")
    sheet = book["非公企业台账"]
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref.startswith("A3:")
    groups = {sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)}
    assert {"基本情况", "出资人", "党组织设置", "党员队伍", "党建工作指导员"} <= groups
    assert sheet.column_dimensions["C"].width >= 20  # names are readable without resizing
    # No full name or full mobile number anywhere in the workbook.
    secretaries = pl.read_csv(first / "party_orgs.csv", infer_schema=False)["secretary"]
    full_names = {name for name in secretaries.drop_nulls() if len(name) >= 2}
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert not MOBILE.search(value), (ws.title, value)
                    assert value not in full_names, (ws.title, value)
    masked = [c.value for c in sheet[4] if isinstance(c.value, str) and "*" in c.value]
    assert masked, "the legal representative shows masked"


def test_summary_ranks_towns_with_numerators(first: Path) -> None:
    metrics = json.loads((first / "metrics.json").read_text(encoding="utf-8"))
    rows = data_rows(openpyxl.load_workbook(first / "台账.xlsx", read_only=True)["汇总"], 4)
    ranked = [row for row in rows if row[0] is not None]
    assert [row[0] for row in ranked] == list(range(1, len(ranked) + 1))
    rates = [metrics["towns"][row[1]]["all"]["org_coverage_rate"]["rate"] for row in ranked]
    assert rates == sorted(rates, reverse=True)
    county_row = rows[-1]
    total = metrics["total"]["all"]
    assert county_row[1] == "全县合计" and county_row[2] == total["total"]
    rate = total["org_coverage_rate"]
    assert county_row[4].endswith(f"（{rate['numerator']}/{rate['denominator']}）")


def test_statistics_workbook_agrees_with_metrics(first: Path) -> None:
    metrics = json.loads((first / "metrics.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(first / "metrics.xlsx", read_only=True)
    assert book.sheetnames == ["非公有制企业", "社会组织法人单位"]
    for sheet_name, kind in (("非公有制企业", "enterprise"), ("社会组织法人单位", "social_org")):
        rows = {row[0]: row for row in data_rows(book[sheet_name], 4)}
        for town, groups in metrics["towns"].items():
            m = groups[kind]
            if m["total"] == 0:
                continue
            _, units, committee, general, branch, joint, due_unestablished, *_ = rows[town]
            assert units == m["total"]
            assert (committee, general, branch) == tuple(
                m["single_established"]["by_type"][t] for t in ("党委", "党总支", "党支部")
            )
            assert joint == m["joint_covered"]
            assert due_unestablished == m["due_unestablished"]
        assert rows["合计"][1] == metrics["total"][kind]["total"]


def test_previous_with_same_input_explains_nothing(county: Path, first: Path, tmp_path: Path):
    out = run_build(county, tmp_path / "again", previous=first)
    assert pl.read_csv(out / "changes.csv").height == 0
    sheet = openpyxl.load_workbook(out / "台账.xlsx", read_only=True)["变更说明"]
    assert data_rows(sheet, 3) == []


def _registry_row(truth: Path, org_id: str) -> tuple[str, str, int]:
    rows = pl.read_csv(truth / "rows.csv", infer_schema=False).filter(
        (pl.col("org_id") == org_id) & (pl.col("kind") == "registry") & (pl.col("expect") == "link")
    )
    assert rows.height == 1
    row = rows.row(0, named=True)
    return row["source_file"], row["source_sheet"], int(row["source_row"])


def _deregister(folder: Path, file: str, sheet_name: str, row: int) -> None:
    book = openpyxl.load_workbook(folder / file)
    sheet = book[sheet_name]
    synonyms = SCHEMAS[Kind.REGISTRY].field("reg_status").headers
    status_column = next(
        cell.column
        for cells in sheet.iter_rows(min_row=1, max_row=row - 1)
        for cell in cells
        if isinstance(cell.value, str) and cell.value.strip() in synonyms
    )
    sheet.cell(row, status_column).value = "注销"
    book.save(folder / file)


def _add_party_org(folder: Path, code: str, name: str) -> None:
    with (folder / "新成立党组织补报.csv").open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "党组织名称",
                "党组织类别",
                "组建方式",
                "正式党员数",
                "所在单位",
                "所在单位统一社会信用代码",
            ]
        )
        writer.writerow([f"中共{name}支部委员会", "党支部", "单独组建", 3, name, code])


def test_previous_lists_exactly_the_deregistered_and_the_newly_built(
    county: Path, first: Path, tmp_path: Path
) -> None:
    orgs = orgs_csv(first)
    truth = pl.read_csv(county / ".truth" / "orgs.csv", infer_schema=False)
    both = orgs.join(truth.select("org_id", "credit_code"), on="credit_code", suffix="_truth")
    in_scope = both.filter(pl.col("in_scope") == "true")
    # An in-scope company with a registry row, to be deregistered.
    gone = in_scope.filter(pl.col("kind") == "enterprise").row(0, named=True)
    # An 应建未建 company (3+ formal members, no party organization) that now founds one.
    built = (
        in_scope.filter(
            (pl.col("due_unestablished") == "true") & (pl.col("org_id") != gone["org_id"])
        )
        .sort("org_id")
        .row(0, named=True)
    )
    changed = tmp_path / "部门数据"
    shutil.copytree(county, changed)
    _deregister(changed, *_registry_row(county / ".truth", gone["org_id_truth"]))
    _add_party_org(changed, built["credit_code"], built["name"])

    out = run_build(changed, tmp_path / "out", previous=first)
    changes = pl.read_csv(out / "changes.csv", infer_schema=False)
    assert sorted(zip(changes["change"], changes["org_id"], strict=True)) == sorted(
        [("减少", gone["org_id"]), ("状态变化", built["org_id"])]
    )
    explained = dict(zip(changes["org_id"], changes["explanation"], strict=True))
    assert "已注销" in explained[gone["org_id"]]
    assert "新单独建立党组织" in explained[built["org_id"]]
    assert "应建未建已消除" in explained[built["org_id"]]
    sheet = openpyxl.load_workbook(out / "台账.xlsx", read_only=True)["变更说明"]
    assert {row[5] for row in data_rows(sheet, 3)} == {gone["org_id"], built["org_id"]}


def test_workbooks_convert_in_libreoffice(first: Path, tmp_path: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (scripts/test.sh installs it)")
    for name in ("台账.xlsx", "metrics.xlsx"):
        done = subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(first / name),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        pdf = tmp_path / name.replace(".xlsx", ".pdf")
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_cli_build_reports_and_rejects_bad_policy(county: Path, tmp_path: Path, capsys) -> None:
    assert main(["build", str(county), "--out", str(tmp_path / "o"), "--policy", "nope"]) == 2
    assert "找不到策略“nope”" in capsys.readouterr().err
    code = main(
        [
            "build",
            str(county),
            "--out",
            str(tmp_path / "o"),
            "--as-of",
            "2020-07-01",
            "--no-progress",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "策略 linyi-2020，统计日 2020年7月1日" in printed
    assert (tmp_path / "o" / "台账.xlsx").exists()
