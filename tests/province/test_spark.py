"""``liangxin build --engine spark`` on a small province: one local Spark session for the
module, three generated counties of about 300 organizations, one of them with a damaged file,
and a fourth county whose manifest cannot be read.

The Spark path writes each county's files byte for byte as ``liangxin build`` (Polars) does
on that county's folder; the roll-up is the sum of the counties; the organizations the
generator moved between counties are the cross-county findings; the county that fails is
reported by name with its reason and the others are still written.
"""

from __future__ import annotations

import csv
import filecmp
import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

pytest.importorskip("pyspark")

from liangxin.engine.build import build  # noqa: E402
from liangxin.engine.policies import load_policy  # noqa: E402
from liangxin.engine.rates import percent  # noqa: E402
from liangxin.province.rollup import FOLDER, WORKBOOK  # noqa: E402
from liangxin.province.spark import build_province, session  # noqa: E402
from liangxin.synth.province import generate_province  # noqa: E402

AS_OF = date(2024, 6, 30)
CITY = "临沂市"
GOOD = ("临沭县", "兰山区", "罗庄区")
DAMAGED_COUNTY, DAMAGED_FILE = "兰山区", "临沭县社会组织名录.xlsx"
BROKEN = "坏清单县"


@pytest.fixture(scope="module")
def spark():
    spark = session("local[2]", memory="512m")
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    generate_province(folder, seed=5, n_orgs=900, counties=3, moved=3)
    (folder / CITY / DAMAGED_COUNTY / DAMAGED_FILE).write_bytes(b"PK\x03\x04 not a workbook")
    broken = folder / CITY / BROKEN
    shutil.copytree(folder / CITY / "临沭县", broken)
    (broken / "liangxin.toml").write_text("[[[ 不是清单", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(spark, province, tmp_path_factory):
    out = tmp_path_factory.mktemp("spark-out")
    return build_province(spark, province, out, load_policy("linyi-2020"), AS_OF), out


@pytest.fixture(scope="module")
def polars_built(province, tmp_path_factory):
    out = tmp_path_factory.mktemp("polars-out")
    for county in GOOD:
        build(province / CITY / county, out / county, load_policy("linyi-2020"), AS_OF)
    return out


@pytest.mark.parametrize("county", GOOD)
def test_each_county_is_written_byte_for_byte_as_liangxin_build(built, polars_built, county):
    _, out = built
    spark_dir, polars_dir = out / CITY / county, polars_built / county
    names = sorted(p.name for p in polars_dir.iterdir())
    assert sorted(p.name for p in spark_dir.iterdir()) == names
    assert "台账.xlsx" in names and "orgs.csv" in names
    _, mismatch, errors = filecmp.cmpfiles(spark_dir, polars_dir, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_the_counties_figures_are_each_countys_metrics(built, polars_built):
    run, _ = built
    counties = run.province.counties
    for county in GOOD:
        metrics = json.loads((polars_built / county / "metrics.json").read_text("utf-8"))
        for kind, m in metrics["total"].items():
            row = counties.filter(county=county, kind=kind).row(0, named=True)
            assert (row["total"], row["org_covered"], row["work_covered"]) == (
                m["total"],
                m["org_covered"],
                m["work_covered"],
            )


def test_the_roll_up_is_the_sum_of_the_counties(built):
    run, out = built
    p = run.province
    counts = ["total", "org_covered", "work_covered"]
    summed = p.counties.group_by("kind").agg(pl.col(counts).sum()).sort("kind")
    assert summed.select(counts).to_dicts() == p.total.sort("kind").select(counts).to_dicts()
    assert p.cities.drop("city").sort("kind").to_dicts() == p.total.sort("kind").to_dicts()
    assert p.total.filter(kind="all")["total"].item() > 500
    stored = pl.read_parquet(out / FOLDER / "counties.parquet")
    for row in stored.iter_rows(named=True):
        assert row["org_coverage_rate"] == percent(row["org_covered"], row["total"])
        assert row["work_coverage_rate"] == percent(row["work_covered"], row["total"])
    assert stored.select(p.counties.columns).equals(p.counties)
    assert (out / FOLDER / WORKBOOK).stat().st_size > 0


def test_the_moved_organizations_are_the_cross_county_findings(built, province):
    run, _ = built
    with (province / ".truth" / "moved.csv").open(encoding="utf-8") as f:
        moved = {(r["credit_code"], r["from"], r["to"]) for r in csv.DictReader(f)}
    assert len(moved) == 6
    found = run.province.cross_county
    assert set(found["credit_code"]) == {code for code, _, _ in moved}
    for code, source, target in moved:
        rows = found.filter(credit_code=code)
        assert sorted(rows["county"]) == sorted([Path(source).name, Path(target).name])
        assert rows["counties"].unique().to_list() == [
            "、".join(sorted(f"{CITY}{Path(c).name}" for c in (source, target)))
        ]


def test_a_damaged_file_and_a_failed_county_are_reported_by_name(built):
    run, out = built
    problems = run.province.problems
    damaged = problems.filter(part="file_error").row(0, named=True)
    assert (damaged["county"], damaged["file"]) == (DAMAGED_COUNTY, DAMAGED_FILE)
    assert damaged["error"] and any("\u4e00" <= ch <= "\u9fff" for ch in damaged["error"])
    failed = run.province.failed.row(0, named=True)
    assert failed["county"] == BROKEN and "liangxin.toml" in failed["error"]
    assert not (out / CITY / BROKEN / "台账.xlsx").exists()
    assert run.province.counties["county"].unique().sort().to_list() == sorted(GOOD)


def test_the_command_line_names_the_county_that_failed(spark, province, tmp_path, capsys):
    """Last in this module: the command stops the shared session when it is done."""
    from liangxin.cli import main

    folder = tmp_path / "省"
    shutil.copytree(province / CITY / BROKEN, folder / CITY / BROKEN)
    args = [
        str(folder),
        "--out",
        str(tmp_path / "out"),
        "--engine",
        "spark",
        "--as-of",
        "2024-06-30",
    ]
    assert main(["build", *args]) == 1
    out, err = capsys.readouterr()
    assert f"⚠ {CITY}{BROKEN}：未能生成：" in err and "liangxin.toml" in err
    assert "共 1 个县区，已生成 0 个" in out
    assert (tmp_path / "out" / FOLDER / WORKBOOK).exists()
