"""`liangxin build` on what a county tries first: an empty folder, one extract alone, an empty
or damaged file. Each run ends normally with Chinese messages and writes every output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from liangxin.cli import main
from liangxin.synth import generate

OUTPUTS = ("台账.xlsx", "metrics.xlsx", "metrics.json", "orgs.csv", "tasks.csv", "files.csv")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("county") / "部门数据"
    generate(folder, seed=3, n_orgs=300)
    return folder


def extracts(county: Path) -> list[Path]:
    return sorted(p for p in county.iterdir() if p.is_file() and p.suffix != ".toml")


def run(folder: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["build", str(folder), "--out", str(out), "--as-of", "2020-07-01"]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    for name in OUTPUTS:
        assert (out / name).stat().st_size > 0, name
    ledger = openpyxl.load_workbook(out / "台账.xlsx", read_only=True)
    assert "汇总" in ledger.sheetnames
    openpyxl.load_workbook(out / "metrics.xlsx", read_only=True)
    json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    return captured.out


def test_empty_folder_writes_an_empty_ledger(tmp_path: Path, capsys) -> None:
    (tmp_path / "空").mkdir()
    printed = run(tmp_path / "空", tmp_path / "out", capsys)
    assert "中没有文件，写出的台账为空" in printed
    assert pl.read_csv(tmp_path / "out" / "orgs.csv").height == 0


@pytest.mark.parametrize("index", range(13))
def test_each_extract_alone_builds(county: Path, tmp_path: Path, index: int, capsys) -> None:
    files = extracts(county)
    assert len(files) == 13  # every kind of extract the generator writes, one per run
    source = files[index]
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(source, folder / source.name)
    printed = run(folder, tmp_path / "out", capsys)
    assert f"✓ {source.name}：" in printed
    orgs = pl.read_csv(tmp_path / "out" / "orgs.csv", infer_schema=False)
    links = pl.read_csv(tmp_path / "out" / "links.csv", infer_schema=False)
    # every accepted row of an organization extract belongs to one of the written organizations
    assert set(links["org_id"].drop_nulls()) <= set(orgs["org_id"])


def only(county: Path, word: str, tmp_path: Path, capsys) -> None:
    """Build from the one extract whose name holds ``word``."""
    (extract,) = [p for p in extracts(county) if word in p.name]
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(extract, folder)
    run(folder, tmp_path / "out", capsys)


def test_only_registry_lists_every_registered_org(county: Path, tmp_path: Path, capsys) -> None:
    only(county, "市场主体", tmp_path, capsys)
    files = pl.read_csv(tmp_path / "out" / "files.csv")
    orgs = pl.read_csv(tmp_path / "out" / "orgs.csv", infer_schema=False)
    assert orgs.height > 0
    assert files["accepted"].sum() >= orgs.height  # duplicates of one org merge, none is lost


def test_only_social_orgs_fill_the_social_org_ledger(county: Path, tmp_path: Path, capsys) -> None:
    only(county, "社会组织", tmp_path, capsys)
    ledger = openpyxl.load_workbook(tmp_path / "out" / "台账.xlsx", read_only=True)
    rows = list(ledger["社会组织台账"].iter_rows(values_only=True))
    names = {cell for row in rows for cell in row if isinstance(cell, str)}
    orgs = pl.read_csv(tmp_path / "out" / "orgs.csv", infer_schema=False)
    in_scope = orgs.filter(pl.col("in_scope") == "true")
    assert in_scope.height > 0
    assert set(in_scope["name"]) <= names


BROKEN = {
    "空文件.csv": (b"", "✗ 文件「空文件.csv」：文件为空（0字节）"),
    "空工作簿.xlsx": (b"", "✗ 文件「空工作簿.xlsx」：文件为空（0字节）"),
    "随机.xls": (bytes(range(256)) * 12, "✗ 文件「随机.xls」：无法作为"),
    "说明.txt": ("请查收附件".encode(), "✗ 文件「说明.txt」："),
    "照片.jpg": (b"\xff\xd8\xff\xe0" + bytes(500), "✗ 文件「照片.jpg」："),
}


@pytest.mark.parametrize("name", BROKEN)
def test_unusable_file_is_reported_in_chinese(tmp_path: Path, name: str, capsys) -> None:
    content, message = BROKEN[name]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(content)
    printed = run(folder, tmp_path / "out", capsys)
    assert message in printed
    line = next(x for x in printed.splitlines() if name in x)
    assert "rror" not in line and str(folder) not in line


def test_truncated_workbook_is_reported_without_reader_text(
    county: Path, tmp_path: Path, capsys
) -> None:
    (registry,) = [p for p in extracts(county) if "市场主体" in p.name]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / registry.name).write_bytes(registry.read_bytes()[:3000])
    printed = run(folder, tmp_path / "out", capsys)
    assert (
        f"✗ 文件「{registry.name}」：无法作为Excel 工作簿打开（文件损坏或并非表格文件）\n"
        in printed
    )
    assert "calamine" not in printed and str(folder) not in printed


def test_header_only_extract_is_warned_not_ticked(county: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "参保单位.csv").write_text("统一社会信用代码,单位名称,在职参保人数,缴费状态\n")
    insurance = next(p for p in extracts(county) if "社保参保" in p.name)
    shutil.copy(insurance, folder)
    printed = run(folder, tmp_path / "out", capsys)
    assert "⚠ 参保单位.csv：社保参保，表头下没有数据行，未使用" in printed
    assert "✓ 参保单位.csv" not in printed
    assert f"✓ {insurance.name}：" in printed


def test_wrong_folders_end_with_a_chinese_message(county: Path, tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "结果.txt"
    a_file.write_text("")
    broken_previous = tmp_path / "上期"
    broken_previous.mkdir()
    (broken_previous / "orgs.csv").write_text("序号,名称\n1,某公司\n")
    cases = {
        ("build", str(tmp_path / "没有"), "--out", str(tmp_path / "o")): "输入文件夹不存在",
        (
            "build",
            str(a_file),
            "--out",
            str(tmp_path / "o"),
        ): "是一个文件；请给出放部门数据文件的文件夹",
        ("build", str(county), "--out", str(a_file)): "是一个文件，不是文件夹",
        ("build", str(county), "--out", str(tmp_path / "o"), "--previous", str(tmp_path)): (
            "上期结果中没有 orgs.csv"
        ),
        ("build", str(county), "--out", str(tmp_path / "o"), "--previous", str(broken_previous)): (
            "缺少列：org_id"
        ),
    }
    for args, message in cases.items():
        assert main([*args, "--as-of", "2020-07-01"]) == 2
        captured = capsys.readouterr()
        assert captured.err.startswith("错误：") and message in captured.err, args
        assert "Traceback" not in captured.err


def test_an_output_that_cannot_be_written_leaves_the_others_written(
    county: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    (out / "台账.xlsx").mkdir(parents=True)  # as when the ledger cannot be replaced
    (out / "orgs.csv").mkdir()
    assert main(["build", str(county), "--out", str(out), "--as-of", "2020-07-01"]) == 1
    captured = capsys.readouterr()
    assert (
        "⚠ 以下文件未能写入，其余已写入：orgs.csv（已有同名的文件夹）；台账.xlsx（已有同名的文件夹）"
        in (captured.err)
    )
    assert "Traceback" not in captured.err
    for name in ("metrics.xlsx", "metrics.json", "tasks.csv", "links.csv", "files.csv"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
