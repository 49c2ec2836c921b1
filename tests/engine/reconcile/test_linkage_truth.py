"""Generated counties (3,000 organizations, three seeds): intake and reconciliation against the
generator's ground truth, row by row and pair by pair.

Pairwise linkage (liangxin.synth.scoring): rows sent to the review list stay in organizations
of their own, so they count as misses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from liangxin.engine.intake import Intake, read_extracts
from liangxin.engine.reconcile import Reconciled, reconcile
from liangxin.synth import generate
from liangxin.synth.scoring import linkage_figures, read_truth_rows

SEEDS = (1, 7, 20200603)
N_ORGS = 3000
ROW = ["source_file", "source_sheet", "source_row"]
MIN_PRECISION = 0.995
MIN_RECALL = 0.99


@dataclass
class County:
    seed: int
    truth: pl.DataFrame  # rows.csv
    intake: Intake
    reconciled: Reconciled


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def county(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> County:
    folder: Path = tmp_path_factory.mktemp(f"linkage{request.param}")
    generate(folder, seed=request.param, n_orgs=N_ORGS)
    truth = read_truth_rows(folder / ".truth")
    intake = read_extracts(folder)
    return County(request.param, truth, intake, reconcile(intake.records))


def _rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("source_sheet").fill_null(""))


def test_pair_counting_by_group_sizes() -> None:
    truth = pl.DataFrame(
        {
            "source_file": ["f"] * 6,
            "source_sheet": [""] * 6,
            "source_row": [1, 2, 3, 4, 5, 6],
            "expect": ["link"] * 6,
            "org_id": ["A", "A", "A", "B", "B", "C"],
        }
    )
    # A split in two (1+2 rows), B merged with C
    links = truth.select(*ROW, org_id=pl.Series(["x", "y", "y", "z", "z", "z"]))
    figures = linkage_figures(truth, links)
    # true pairs: A 3, B 1 → 4; engine pairs: y 1, z 3 → 4; both: (A,y) 1, (B,z) 1 → 2
    assert (figures["true_pairs"], figures["linked_pairs"]) == (4, 4)
    assert figures["precision"] == figures["recall"] == 0.5


def test_no_row_is_lost_and_no_non_data_row_is_an_organization(county: County) -> None:
    truth, links = county.truth, _rows(county.reconciled.links)
    rejects = _rows(county.intake.rejects)
    expected_links = truth.filter(pl.col("expect") == "link")
    lost = expected_links.join(links, on=ROW, how="anti").join(
        rejects.filter(pl.col("reason").str.len_chars() > 0), on=ROW, how="anti"
    )
    assert lost.select(ROW).to_dicts() == []
    not_rejected = truth.filter(pl.col("expect") == "reject").join(rejects, on=ROW, how="anti")
    assert not_rejected.select(ROW).to_dicts() == []
    # every linked or rejected row is a data row of the truth; linked ones describe an org
    assert links.join(truth, on=ROW, how="anti").select(ROW).to_dicts() == []
    assert rejects.join(truth, on=ROW, how="anti").select(ROW).to_dicts() == []
    kinds = links.join(truth, on=ROW)["expect"].unique().to_list()
    assert kinds == ["link"]
    assert links.height == links.unique(ROW).height  # one org per row
    print(
        f"\nseed {county.seed}: {links.height} rows linked, {rejects.height} rejected; "
        f"{expected_links.join(links, on=ROW, how='anti').height} org rows rejected"
    )


def test_pairwise_linkage_against_the_truth(county: County) -> None:
    reconciled = county.reconciled
    figures = linkage_figures(county.truth, reconciled.links)
    review_rows = reconciled.review.unique(ROW).height
    print(
        f"\nseed {county.seed}: precision {figures['precision']:.5f}, "
        f"recall {figures['recall']:.5f}, F1 {figures['f1']:.5f}; "
        f"review {reconciled.review.height} pairs on {review_rows} rows; "
        f"candidates {reconciled.stats}"
    )
    assert figures["precision"] >= MIN_PRECISION
    assert figures["recall"] >= MIN_RECALL
    # the review list is for the doubtful few, not a second pass over the county
    assert review_rows <= 0.005 * county.truth.height
