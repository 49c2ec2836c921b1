"""The ledger on held-out headers against the ledger on the default templates, same county seed.

    python benchmarks/header_ledger.py [--seeds 1 2 3] [--orgs 3000]
        [--layouts stacked,codes,broken,units]

For each seed the same county is generated twice — once with the default templates, once with
headers drawn from the held-out spellings and the given layouts — and both are read, linked
and screened. Printed per seed: linkage precision/recall/F1 against the generator's truth, the
organizations carrying each flag, and every metric of metrics.json, with the largest relative
difference between the two runs (the target is within 0.5 %).
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

from liangxin.engine.intake import read_extracts
from liangxin.engine.policies import load_policy
from liangxin.engine.reconcile import reconcile
from liangxin.engine.screen import FLAGS, metrics, screen
from liangxin.synth import HeaderStyle, generate
from liangxin.synth.scoring import linkage_figures, read_truth_rows

AS_OF = date(2020, 6, 1)


def run(folder: Path) -> dict[str, float]:
    intake = read_extracts(folder)
    reconciled = reconcile(intake.records)
    screened = screen(reconciled, load_policy(), AS_OF)
    figures = linkage_figures(read_truth_rows(folder / ".truth"), reconciled.links)
    out = {f"linkage {k}": float(v) for k, v in figures.items()}
    out["rows read"] = float(sum(r.accepted for r in intake.files))
    out["files refused"] = float(sum(1 for r in intake.files if r.error))
    out |= {f"flag {f}": float(screened.orgs[f].sum()) for f in FLAGS}
    out |= _flat("metric", metrics(screened)["total"])
    return out


def _flat(prefix: str, value) -> dict[str, float]:
    if isinstance(value, dict):
        found = {}
        for k, v in value.items():
            found |= _flat(f"{prefix} {k}", v)
        return found
    if isinstance(value, bool) or not isinstance(value, int | float):
        return {}
    return {prefix: float(value)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--orgs", type=int, default=3000)
    parser.add_argument("--layouts", default="stacked,codes,broken,units")
    args = parser.parse_args()
    layouts = frozenset(x for x in args.layouts.split(",") if x)
    worst_all = 0.0
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            default, held = Path(tmp) / "default", Path(tmp) / "held-out"
            generate(default, seed, args.orgs)
            generate(held, seed, args.orgs, HeaderStyle("held-out", layouts))
            a, b = run(default), run(held)
        print(f"\nseed {seed}, {args.orgs} organizations: default templates vs held-out headers")
        worst, worst_key = 0.0, ""
        for key in sorted(a):
            diff = abs(b.get(key, 0.0) - a[key]) / abs(a[key]) if a[key] else abs(b.get(key, 0.0))
            if key.startswith(("linkage", "rows", "files", "flag")) or diff:
                print(f"  {key:<48}{a[key]:>14,.4f}{b.get(key, 0.0):>14,.4f}{diff:>9.3%}")
            if diff > worst:
                worst, worst_key = diff, key
        print(f"  largest relative difference: {worst:.3%} ({worst_key or '—'})")
        worst_all = max(worst_all, worst)
    print(f"\nlargest relative difference over all seeds: {worst_all:.3%}")


if __name__ == "__main__":
    main()
