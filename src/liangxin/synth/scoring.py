"""Score a linkage against the generator's truth, pair by pair (tests and benchmarks).

A pair is two source rows placed in the same organization. The truth places rows by its org_id
(`.truth/rows.csv`, rows expected to link), a linkage by the org_id it gave each row; precision
is the share of the linkage's pairs that are true, recall the share of the true pairs it made.
Counted from the contingency table of (true org, linked org), never pair by pair.
"""

from __future__ import annotations

import polars as pl

ROW = ["source_file", "source_sheet", "source_row"]


def read_truth_rows(truth_dir) -> pl.DataFrame:
    return pl.read_csv(truth_dir / "rows.csv", infer_schema=False).with_columns(
        pl.col("source_sheet").fill_null(""), pl.col("source_row").cast(pl.Int64)
    )


def _pairs(group_sizes: pl.Series) -> int:
    """Pairs of rows within groups of these sizes: Σ n(n−1)/2."""
    sizes = group_sizes.cast(pl.Int64)
    return int((sizes * (sizes - 1) // 2).sum())


def linkage_figures(truth: pl.DataFrame, links: pl.DataFrame) -> dict[str, float]:
    """Pairwise precision, recall and F1; ``links`` has the row columns and ``org_id``."""
    placed = (
        truth.filter(pl.col("expect") == "link")
        .select(*ROW, true_org="org_id")
        .join(
            links.with_columns(pl.col("source_sheet").fill_null("")).select(
                *ROW, linked_org="org_id"
            ),
            on=ROW,
            how="inner",
        )
    )
    both = _pairs(placed.group_by("true_org", "linked_org").len()["len"])
    true_pairs = _pairs(placed.group_by("true_org").len()["len"])
    linked_pairs = _pairs(placed.group_by("linked_org").len()["len"])
    precision = both / linked_pairs if linked_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true_pairs,
        "linked_pairs": linked_pairs,
    }
