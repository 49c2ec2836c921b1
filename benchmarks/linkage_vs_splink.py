"""Our reconciliation against Splink (DuckDB backend) on the same generated records.

    pip install -e '.[bench]'        # Splink 4 and DuckDB, only for this benchmark
    python benchmarks/linkage_vs_splink.py [--orgs 3000 30000] [--mess default hard]
                                           [--data-root /tmp/liangxin-bench]

Both get the records our intake accepted from the registry, social-organization, tax, insurance
and survey extracts (the same rows, the same cleaned cells). Splink is set up as its documentation
suggests: default comparison levels (JaroWinklerAtThresholds, ExactMatch), the blocking rules a
careful user would write (same credit code; same name; same first four characters of the name;
same legal representative and 镇街), λ from the credit code, u by random sampling, m by EM (blocked on credit code, name,
legal representative, so every comparison is trained), and
clusters at match probability 0.9. Printed: pairwise precision/recall/F1 against the generator's
truth and wall time, for both; then what DuckDB's byte-based Jaro-Winkler does to Chinese names.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb
import polars as pl
from rapidfuzz.distance import JaroWinkler

from _common import county
from liangxin.engine.intake import read_extracts
from liangxin.engine.reconcile import reconcile
from liangxin.engine.schema import ORG_KINDS
from liangxin.synth.scoring import ROW, linkage_figures, read_truth_rows

THRESHOLD = 0.9
FIELDS = ("credit_code", "name", "town", "legal_rep", "address")


def splink_input(records: dict) -> pl.DataFrame:
    frames = [
        frame.select(
            *ROW,
            *(
                pl.col(f) if f in frame.columns else pl.lit(None, pl.String).alias(f)
                for f in FIELDS
            ),
        )
        for kind, frame in records.items()
        if kind in ORG_KINDS
    ]
    return (
        pl.concat(frames)
        .with_columns(pl.col("source_sheet").fill_null(""))
        .with_row_index("unique_id")
        .with_columns(pl.col("unique_id").cast(pl.Int64))
    )


def run_splink(rows: pl.DataFrame) -> tuple[pl.DataFrame, float]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.ExactMatch("credit_code"),
            cl.JaroWinklerAtThresholds("name"),
            cl.ExactMatch("town"),
            cl.ExactMatch("legal_rep"),
            cl.JaroWinklerAtThresholds("address"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("credit_code"),
            block_on("name"),
            block_on("substr(name, 1, 4)"),
            block_on("legal_rep", "town"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    table = rows.select("unique_id", *FIELDS).to_pandas()
    linker = Linker(table, settings, db_api=DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match(
        [block_on("credit_code")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("credit_code"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    # Trains the name and address levels, which the two passes above cannot.
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("legal_rep"))
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, THRESHOLD
    ).as_pandas_dataframe()
    elapsed = time.perf_counter() - started
    placed = pl.from_pandas(clusters[["unique_id", "cluster_id"]]).with_columns(
        pl.col("unique_id").cast(pl.Int64), pl.col("cluster_id").cast(pl.String)
    )
    links = rows.join(placed, on="unique_id").select(*ROW, org_id="cluster_id")
    return links, elapsed


def byte_cost(truth: pl.DataFrame, rows: pl.DataFrame) -> str:
    """On pairs of differently written names of one organization: share scoring ≥ 0.9 by
    Jaro-Winkler over characters (rapidfuzz) and over UTF-8 bytes (DuckDB)."""
    named = truth.filter(pl.col("expect") == "link").join(rows, on=ROW).select("org_id", "name")
    pairs = (
        named.unique()
        .join(named.unique(), on="org_id", suffix="_other")
        .filter(pl.col("name") < pl.col("name_other"))
        .head(20_000)
    )
    if pairs.is_empty():
        return "no variant name pairs"
    chars = [
        JaroWinkler.similarity(a, b)
        for a, b in zip(pairs["name"], pairs["name_other"], strict=True)
    ]
    con = duckdb.connect()
    con.register("pairs", pairs.to_arrow())
    by_bytes = con.execute(
        "select jaro_winkler_similarity(name, name_other) from pairs"
    ).fetchnumpy()
    byte_scores = next(iter(by_bytes.values()))
    char_share = sum(s >= THRESHOLD for s in chars) / len(chars)
    byte_share = float((byte_scores >= THRESHOLD).mean())
    return (
        f"{pairs.height:,} variant name pairs of one organization score ≥ {THRESHOLD}: "
        f"characters {char_share:.1%}, DuckDB bytes {byte_share:.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[3000])
    parser.add_argument("--mess", nargs="+", default=["default"], choices=["default", "hard"])
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/liangxin-bench"))
    args = parser.parse_args()
    for mess, orgs in ((m, o) for m in args.mess for o in args.orgs):
        print(f"{mess} county", flush=True)
        folder = county(args.data_root, orgs, mess=mess)
        truth = read_truth_rows(folder / ".truth")
        intake = read_extracts(folder)
        rows = splink_input(intake.records)

        started = time.perf_counter()
        ours = reconcile(intake.records).links
        ours_s = time.perf_counter() - started
        splink_links, splink_s = run_splink(rows)

        for label, links, seconds in (
            ("liangxin", ours, ours_s),
            ("Splink", splink_links, splink_s),
        ):
            f = linkage_figures(truth, links)
            print(
                f"{orgs:>9,} orgs {rows.height:>9,} rows | {label:<8} precision {f['precision']:.4f} "
                f"recall {f['recall']:.4f} F1 {f['f1']:.4f} | {seconds:7.1f} s",
                flush=True,
            )
        print(f"          speed: Splink/liangxin {splink_s / ours_s:.1f}× the time")
        print(f"          {byte_cost(truth, rows)}")


if __name__ == "__main__":
    main()
