"""The name variation classes and hard negatives of ``liangxin demo-data --mess hard``."""

from __future__ import annotations

import random

import polars as pl
import pytest

from liangxin.cli import main
from liangxin.synth import generate
from liangxin.synth.names import OrgName
from liangxin.synth.variation import HARD, SLIPS, Variation, vary

LABEL = OrgName("临沭县华泰机械有限公司", "临沭县", "华泰", 3)


@pytest.fixture(scope="module")
def hard_county(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hard")
    generate(folder, seed=3, n_orgs=3000, variation=HARD)
    rows = pl.read_csv(folder / ".truth" / "rows.csv", infer_schema=False)
    orgs = pl.read_csv(folder / ".truth" / "orgs.csv", infer_schema=False)
    return rows, orgs


def test_every_class_is_written(hard_county) -> None:
    rows, _ = hard_county
    tags = set(rows["mess"].drop_nulls().str.split(";").explode().to_list())
    for tag in ("short_form", "stock_form", "bracket_part", "region_level", "zihao_slip", "layout"):
        assert tag in tags


def test_hard_negatives_are_registered_organizations_with_their_own_codes(hard_county) -> None:
    _, orgs = hard_county
    pairs = (
        orgs.filter(pl.col("trap_of") != "")
        .join(
            orgs.select(trap_of="org_id", other_name="name", other_code="credit_code"), on="trap_of"
        )
        .filter(pl.col("name") < pl.col("other_name"))
    )
    assert (pairs["credit_code"] != pairs["other_code"]).all()
    # the same name registered at the city or province level: its code names that register
    level = pairs.filter(pl.col("name").str.slice(3) == pl.col("other_name").str.slice(3)).filter(
        pl.col("name").str.starts_with("临沂市") | pl.col("name").str.starts_with("山东省")
    )
    assert level.height > 0
    assert level["credit_code"].str.slice(2, 6).is_in(["371300", "370000"]).all()
    # the same 字号 in another trade
    assert pairs.filter(
        pl.col("name").str.slice(0, 5) == pl.col("other_name").str.slice(0, 5)
    ).height


def test_each_class_keeps_the_organization_recognisable() -> None:
    rng = random.Random(1)
    one = Variation(zihao_slip=1.0)
    name, tags = vary(LABEL, LABEL.name, "临沭县", "蛟龙镇", one, rng)
    assert tags == ["zihao_slip"]
    assert sum(a != b for a, b in zip(name, LABEL.name, strict=True)) == 1
    assert any(SLIPS.get(a) == b for a, b in zip(LABEL.name, name, strict=True))
    name, tags = vary(LABEL, LABEL.name, "临沭县", "蛟龙镇", Variation(short_form=1.0), rng)
    assert name in ("临沭县华泰机械", "临沭县华泰机械公司") and tags == ["short_form"]


def test_default_county_is_unchanged_by_the_new_classes(tmp_path) -> None:
    generate(tmp_path / "a", seed=5, n_orgs=300)
    generate(tmp_path / "b", seed=5, n_orgs=300, variation=Variation())
    a = (tmp_path / "a" / ".truth" / "rows.csv").read_bytes()
    assert a == (tmp_path / "b" / ".truth" / "rows.csv").read_bytes()
    assert b"short_form" not in a


def test_dials_are_checked(tmp_path, capsys) -> None:
    assert main(["demo-data", str(tmp_path / "x"), "--orgs", "200", "--dial", "nosuch=0.1"]) == 2
    assert "未知的变化类别「nosuch」" in capsys.readouterr().err
    assert main(["demo-data", str(tmp_path / "y"), "--orgs", "200", "--dial", "zihao_slip=2"]) == 2
    assert "0 到 1 之间" in capsys.readouterr().err
    out = tmp_path / "z"
    assert (
        main(["demo-data", str(out), "--orgs", "200", "--mess", "hard", "--dial", "layout=0"]) == 0
    )
    assert "layout" not in (out / ".truth" / "rows.csv").read_text(encoding="utf-8")
