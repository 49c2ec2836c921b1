"""How exact the ledger is on names as officials write them: reconciliation against the truth.

    python benchmarks/linkage_quality.py [--orgs 3000 100000] [--seeds 1 2] [--mess hard default]
                                         [--dial zihao_slip=0.05 …] [--data-root /tmp/liangxin-bench]

Per generated county (size × seed × variation profile, see liangxin.synth.variation), printed:
- pairwise precision, recall and F1 of the source rows placed in one organization;
- organizations in the output against the truth (organizations some extract describes), as
  built and once the review list is decided as the truth says (a row joins its candidate);
- the review list: source rows on it (share of the true organizations) and the share of them
  that are really doubtful. A review row is really doubtful when the truth says a person has
  something to decide: its true organization is among its candidates (the link was left to a
  person), or it carries no valid code and a candidate is the look-alike, same-字号 or
  other-level partner of its true organization (the names alone cannot tell them apart). A row
  with a valid code whose candidates are all other organizations is a false alarm: two valid
  codes are never one organization.
- rows found in no register (未在登记信息中找到) and how many of them truly are not registered;
- metric figures exact: screening the engine's reconciliation and the truth's (linyi-2020) and
  comparing every figure per 镇街 × kind (and the share of 镇街 × kind groups exact throughout).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "engine" / "screen"))

from screen_truth import truth_reconciled  # noqa: E402

from _common import county  # noqa: E402
from liangxin.engine.intake import read_extracts  # noqa: E402
from liangxin.engine.policies import load_policy  # noqa: E402
from liangxin.engine.reconcile import reconcile  # noqa: E402
from liangxin.engine.screen import metrics, screen  # noqa: E402
from liangxin.synth.scoring import ROW, linkage_figures, read_truth_rows  # noqa: E402

AS_OF = date(2020, 6, 30)


def review_figures(truth: pl.DataFrame, orgs: pl.DataFrame, rec) -> dict[str, float]:
    rows = truth.filter(pl.col("expect") == "link").select(*ROW, true_org="org_id")
    links = rec.links.with_columns(pl.col("source_sheet").fill_null("")).join(rows, on=ROW)
    # an engine organization is the true organization most of its rows belong to
    engine_true = (
        links.group_by("org_id", "true_org")
        .len()
        .sort("len", descending=True)
        .unique("org_id", keep="first")
        .select(candidate_org_id="org_id", candidate_true="true_org")
    )
    partner = orgs.filter(pl.col("trap_of") != "").select(true_org="org_id", partner="trap_of")
    review = (
        rec.review.with_columns(pl.col("source_sheet").fill_null(""))
        .join(rows, on=ROW, how="left")
        .join(engine_true, on="candidate_org_id", how="left")
        .join(partner, on="true_org", how="left")
    )
    valid = pl.col("credit_code").is_not_null() & (pl.col("credit_code").str.len_chars() == 18)
    pair_doubtful = (pl.col("candidate_true") == pl.col("true_org")) | (
        ~valid & (pl.col("candidate_true") == pl.col("partner"))
    )
    per_row = review.group_by(ROW).agg(doubtful=pair_doubtful.fill_null(False).any())
    n = per_row.height
    # the review list worked through as the truth says: a row joins its true candidate
    confirmed = review.filter(pl.col("candidate_true") == pl.col("true_org")).unique(ROW)
    decided = (
        rec.links.with_columns(pl.col("source_sheet").fill_null(""))
        .join(confirmed.select(*ROW, "candidate_org_id"), on=ROW, how="left")
        .select(pl.coalesce("candidate_org_id", "org_id").alias("org_id"))
    )
    return {
        "review_rows": n,
        "review_pairs": rec.review.height,
        "doubtful": per_row["doubtful"].sum() / n if n else 1.0,
        "orgs_decided": decided["org_id"].n_unique(),
    }


def metric_figures(rec, truth_dir: Path) -> tuple[float, float]:
    policy = load_policy("linyi-2020")
    ours = metrics(screen(rec, policy, AS_OF))["towns"]
    true = metrics(screen(truth_reconciled(truth_dir), policy, AS_OF))["towns"]
    figures = exact = groups = groups_exact = 0
    for town in sorted(set(ours) | set(true)):
        for kind in sorted(set(ours.get(town, {})) | set(true.get(town, {}))):
            a = _leaves(ours.get(town, {}).get(kind, {}))
            b = _leaves(true.get(town, {}).get(kind, {}))
            keys = set(a) | set(b)
            same = sum(a.get(k) == b.get(k) for k in keys)
            figures, exact = figures + len(keys), exact + same
            groups, groups_exact = groups + 1, groups_exact + (same == len(keys))
    return exact / figures, groups_exact / groups


def _leaves(tree, prefix=()) -> dict[tuple, object]:
    if isinstance(tree, dict):
        out = {}
        for key, value in tree.items():
            out |= _leaves(value, (*prefix, key))
        return out
    return {prefix: tree}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[3000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--mess", nargs="+", default=["hard"], choices=["default", "hard"])
    parser.add_argument("--dial", nargs="*", default=[], help="class=share, e.g. zihao_slip=0.05")
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/liangxin-bench"))
    parser.add_argument("--no-metrics", action="store_true", help="skip the screening comparison")
    args = parser.parse_args()
    for mess in args.mess:
        for orgs in args.orgs:
            for seed in args.seeds:
                folder = county(args.data_root, orgs, seed, mess, tuple(args.dial))
                truth = read_truth_rows(folder / ".truth")
                true_orgs = pl.read_csv(folder / ".truth" / "orgs.csv", infer_schema=False)
                intake = read_extracts(folder)
                started = time.perf_counter()
                rec = reconcile(intake.records)
                seconds = time.perf_counter() - started
                f = linkage_figures(truth, rec.links)
                described = truth.filter(pl.col("expect") == "link")["org_id"].n_unique()
                r = review_figures(truth, true_orgs, rec)
                line = (
                    f"{mess:<7} {orgs:>7,} s{seed} | P {f['precision']:.4f} R {f['recall']:.4f} "
                    f"F1 {f['f1']:.4f} | orgs {rec.orgs.height:,} vs {described:,} "
                    f"({rec.orgs.height / described - 1:+.2%}; after review "
                    f"{r['orgs_decided'] / described - 1:+.2%}) | review {r['review_rows']:,} rows "
                    f"({r['review_rows'] / described:.1%} of orgs), {r['doubtful']:.0%} doubtful"
                )
                not_found = getattr(rec, "not_found", None)
                if not_found is not None:
                    line += f" | not found {not_found.height:,}"
                if not args.no_metrics:
                    figures, groups = metric_figures(rec, folder / ".truth")
                    line += f" | metrics exact {figures:.1%} (镇街×kind groups {groups:.1%})"
                print(f"{line} | {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
