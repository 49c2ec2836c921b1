"""Every rate shown is the exact fraction rounded once, half-up, to 0.1 % — checked against
Decimal arithmetic, over every fraction up to 399, and over every rate of a generated county's
metrics.json, 台账 汇总 and bulletin."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import docx
import openpyxl
import polars as pl
import pytest
from bulletin_data import bulletin_data

from liangxin.engine.build import build
from liangxin.engine.outputs.bulletin import write_docx
from liangxin.engine.policies import load_policy
from liangxin.engine.rates import percent, percent_expr, percent_text, percent_with_counts
from liangxin.synth import generate

SHOWN = re.compile(r"(\d+\.\d)%（(\d+)/(\d+)）")


def exact(numerator: int, denominator: int) -> str:
    """The oracle: the fraction in decimal with ample precision, rounded half-up once."""
    with localcontext() as ctx:
        ctx.prec = 60
        value = Decimal(100 * numerator) / Decimal(denominator)
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def test_the_cases_double_rounding_got_wrong() -> None:
    assert percent(21, 155) == "13.5%"  # round(21/155, 4) = 0.1355 → 13.6 %
    assert percent(47, 86) == "54.7%"  # 0.54651… → 0.5465 → 54.6 % in a table
    assert percent(1, 16) == "6.3%"  # 6.25 exactly: half goes up
    assert percent(1, 2000) == "0.1%"
    assert percent(0, 7) == "0.0%" and percent(7, 7) == "100.0%"
    assert percent(3, 0) is None and percent_text(3, 0) == "—"
    assert percent_with_counts(21, 155) == "13.5%（21/155）"


def test_every_fraction_up_to_399_matches_decimal_in_python_and_polars() -> None:
    pairs = [(n, d) for d in range(1, 400) for n in range(d + 1)]
    frame = pl.DataFrame(pairs, schema={"n": pl.Int64, "d": pl.Int64}, orient="row")
    shown = frame.select(percent_expr(pl.col("n"), pl.col("d")))[:, 0].to_list()
    oracle = [exact(n, d) for n, d in pairs]
    assert [percent(n, d) for n, d in pairs] == oracle
    assert shown == oracle
    twice = [f"{round(n / d, 4) * 100:.1f}%" for n, d in pairs]
    wrong = sum(a != b for a, b in zip(twice, oracle, strict=True))
    print(f"\ndouble rounding wrong in {wrong:,} of {len(pairs):,} fractions")
    assert wrong > 0  # the old way really differs: the comparison above is not vacuous


@pytest.fixture(scope="module", params=[(1, 3000), (7, 1200)], ids=["seed1", "seed7"])
def built(request, tmp_path_factory: pytest.TempPathFactory) -> Path:
    seed, n_orgs = request.param
    folder = tmp_path_factory.mktemp("county") / "部门数据"
    generate(folder, seed=seed, n_orgs=n_orgs)
    out = tmp_path_factory.mktemp("out")
    build(folder, out, load_policy("linyi-2020"), date(2020, 7, 1))
    return out


def all_rates(node) -> list[dict]:
    if isinstance(node, dict):
        if "numerator" in node and "denominator" in node:
            return [node]
        return [r for value in node.values() for r in all_rates(value)]
    return []


def test_every_rate_in_metrics_json_is_rounded_once(built: Path) -> None:
    rates = all_rates(json.loads((built / "metrics.json").read_text(encoding="utf-8")))
    assert len(rates) > 50
    for r in rates:
        n, d = r["numerator"], r["denominator"]
        assert r["percent"] == (exact(n, d) if d else None), r
    changed = sum(
        1 for r in rates if r["denominator"] and f"{round(r['rate'], 4) * 100:.1f}%" != r["percent"]
    )
    print(f"\n{changed} of {len(rates)} rates in metrics.json differ from double rounding")


def test_every_rate_in_the_ledger_summary_is_rounded_once(built: Path) -> None:
    sheet = openpyxl.load_workbook(built / "台账.xlsx", read_only=True)["汇总"]
    found = [
        m.groups()
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
        for m in SHOWN.finditer(cell)
    ]
    assert len(found) > 20
    for shown, n, d in found:
        assert f"{shown}%" == exact(int(n), int(d))


def test_every_rate_in_the_bulletin_is_rounded_once(built: Path, tmp_path: Path) -> None:
    metrics = json.loads((built / "metrics.json").read_text(encoding="utf-8"))
    towns = [{"town": t, **m["all"]} for t, m in metrics["towns"].items()]
    data = bulletin_data(towns, metrics["total"]["all"])
    document = docx.Document(str(write_docx(data, tmp_path / "通报.docx")))
    ranking = document.tables[0]
    by_town = {t["town"]: t for t in towns}
    checked = 0
    for row in ranking.rows[1:]:
        cells = [c.text for c in row.cells]
        t = by_town[cells[0]]
        assert cells[3] == percent_text(t["org_covered"], t["total"])
        assert cells[6] == percent_text(t["work_covered"], t["total"])
        if t["total"]:
            assert cells[3] == exact(t["org_covered"], t["total"])
            checked += 1
    assert checked > 5
    for row in document.tables[1].rows[1:]:
        cells = [c.text for c in row.cells]
        t = by_town[cells[0]]
        assert cells[6] == percent_text(t["org_covered"], t["total"])
    total = metrics["total"]["all"]
    opening = next(p.text for p in document.paragraphs if p.text.startswith("截至"))
    assert f"覆盖率{exact(total['org_covered'], total['total'])}" in opening
