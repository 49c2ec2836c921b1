"""Generated counties (3,000 organizations): every flag of every organization against an
independent oracle over the generator's ground truth.

1. On a perfect reconciliation (the truth in the engine's shape) the screening must agree with
   the oracle everywhere, for every preset.
2. End to end (messy extracts → intake → reconciliation → screening) every disagreement must be
   explained by an input the reconciliation got differently from the truth; none may remain.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from screen_oracle import expected_flags
from screen_truth import engine_orgs, reconciliation_differences, truth_reconciled

from liangxin.engine.intake import read_extracts
from liangxin.engine.policies import load_policy
from liangxin.engine.reconcile import Reconciled, reconcile
from liangxin.engine.screen import Screened, metrics, screen
from liangxin.synth import generate

AS_OF = date(2020, 7, 1)
SEEDS = (1, 7, 20200603)
COMPARED = (
    "in_scope",
    "exclusion_reason",
    "employees",
    "formal_members",
    "above_scale",
    "in_park",
    "single_established",
    "org_covered",
    "work_covered",
    "single_required",
    "due_unestablished",
    "focus_50_no_member",
    "focus_100_no_org",
    "focus_social_15_no_member",
    "park_uncovered",
    "instructor_required",
    "fallback",
)


class County:
    def __init__(self, folder: Path, seed: int) -> None:
        generate(folder, seed=seed, n_orgs=3000)
        self.truth = folder / ".truth"
        self.folder = folder
        self._reconciled: Reconciled | None = None

    @property
    def reconciled(self) -> Reconciled:
        if self._reconciled is None:
            self._reconciled = reconcile(read_extracts(self.folder).records)
        return self._reconciled


@pytest.fixture(scope="session", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def county(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> County:
    return County(tmp_path_factory.mktemp(f"county{request.param}"), request.param)


def _mismatches(
    expected: dict[str, dict[str, Any]], screened: Screened, engine_id: dict[str, str]
) -> dict[str, list[str]]:
    rows = {row["org_id"]: row for row in screened.orgs.to_dicts()}
    return {
        truth_id: wrong
        for truth_id, values in expected.items()
        if (wrong := [k for k in COMPARED if rows[engine_id[truth_id]][k] != values[k]])
    }


@pytest.mark.parametrize("preset", ["linyi-2020", "shunyi-2017", "national"])
def test_screening_of_true_inputs_matches_the_oracle(county: County, preset: str) -> None:
    screened = screen(truth_reconciled(county.truth), load_policy(preset), AS_OF)
    expected = expected_flags(county.truth, preset)
    assert screened.orgs.height == len(expected)
    wrong = _mismatches(expected, screened, {t: t for t in expected})
    assert wrong == {}
    # the flags are not vacuous: every one is true somewhere
    flags = [c for c in COMPARED if screened.orgs.schema[c] == pl.Boolean and c != "in_scope"]
    assert [f for f in flags if not screened.orgs[f].any()] == []
    # one explanation per true flag, and one for the exclusion
    explained = screened.orgs.select(
        parts=pl.col("reasons").str.split("；").list.len().fill_null(0),
        due=pl.sum_horizontal(flags) + (~pl.col("in_scope")).cast(pl.UInt32),
    )
    assert (explained["parts"] == explained["due"]).all()


def test_metrics_of_true_inputs_count_the_oracle(county: County) -> None:
    screened = screen(truth_reconciled(county.truth), load_policy("linyi-2020"), AS_OF)
    expected = expected_flags(county.truth, "linyi-2020")
    towns = {row["org_id"]: row["town"] for row in screened.orgs.to_dicts()}
    counted: dict[tuple[str, str], Counter[str]] = {}
    for org_id, e in expected.items():
        for town in (towns[org_id], "全县"):
            c = counted.setdefault((town, "all"), Counter())
            c["total"] += e["in_scope"]
            c["excluded"] += not e["in_scope"]
            c["org_covered"] += e["in_scope"] and e["org_covered"]
            c["work_covered"] += e["in_scope"] and e["work_covered"]
            c["single_established"] += e["in_scope"] and e["single_established"]
            c["due"] += e["single_required"]
            c["due_unestablished"] += e["due_unestablished"]
            c["park_total"] += e["in_scope"] and e["in_park"]
    m = metrics(screened)
    for (town, kind), counts in counted.items():
        got = m["total"][kind] if town == "全县" else m["towns"][town][kind]
        assert got["single_established"]["count"] == counts.pop("single_established")
        assert {k: got[k] for k in counts} == dict(counts), town


def test_end_to_end_disagreements_are_reconciliation_differences(county: County) -> None:
    reconciled = county.reconciled
    screened = screen(reconciled, load_policy("linyi-2020"), AS_OF)
    expected = expected_flags(county.truth, "linyi-2020")
    placed = engine_orgs(county.truth, reconciled)
    assert set(placed) == set(expected)  # every true organization reached the ledger
    engine_id = {t: c.most_common(1)[0][0] for t, c in placed.items()}
    wrong = _mismatches(expected, screened, engine_id)
    differences = reconciliation_differences(county.truth, reconciled)
    unexplained = {t: flags for t, flags in wrong.items() if not differences[t]}
    assert unexplained == {}
    explained = Counter(d.split(":")[0] for t in wrong for d in differences[t])
    print(f"\n{len(wrong)} of {len(expected)} orgs differ, all by reconciliation: {explained}")
