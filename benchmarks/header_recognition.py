"""Header recognition on generated counties whose files draw headers from the held-out half.

    python benchmarks/header_recognition.py [--seeds 1 2 3] [--orgs 1500]
        [--headers held-out] [--layouts stacked,codes,broken,units] [--split-seeds 0 …]

For every county seed, the generator writes the extracts with headers drawn from the spellings
kept out of the recognizer (see `liangxin.engine.intake.vocabulary`) and the chosen layouts;
the intake reads them with the same split. Printed per source kind: files recognised with the
right kind, and columns mapped to the right field, against the generator's truth
(``.truth/columns.csv``); then the columns that were missed. ``--split-seeds`` re-runs the whole
measurement with other splits of the collected spellings (cross-validation: the result must not
depend on one split); 0 stands for the split the recognizer ships with.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
from collections import Counter
from pathlib import Path

from liangxin.engine.intake import read_extracts
from liangxin.engine.intake.vocabulary import SPLIT_SEED
from liangxin.synth import HeaderStyle, generate


def measure(folder: Path, split_seed: int) -> tuple[Counter, Counter, list[str]]:
    """(right, total) counters keyed by ("files"|"columns", kind), and the misses."""
    truth = json.loads((folder / ".truth" / "county.json").read_text(encoding="utf-8"))
    kinds = {f["name"]: f["kind"] for f in truth["files"]}
    intake = read_extracts(folder, split_seed=split_seed)
    right, total, misses = Counter(), Counter(), []
    read = {}
    for report in intake.files:
        kind = kinds[report.file]
        total["files", kind] += 1
        if report.questions:
            right["asking", kind] += 1
        if report.kind and report.kind.value == kind:
            right["files", kind] += 1
        else:
            misses.append(f"{report.file}: {report.kind} ≠ {kind} {report.error or ''}")
        for c in report.columns:
            read[report.file, c.sheet, c.position] = c
    with (folder / ".truth" / "columns.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["field"]:
                continue
            kind = kinds[row["file"]]
            total["columns", kind] += 1
            got = read.get((row["file"], row["sheet"], int(row["column"])))
            if got and got.field == row["field"]:
                right["columns", kind] += 1
            else:
                seen = f"{got.field or '—'}（{got.why}）" if got else "未读"
                label = row["header"].replace("\n", "⏎")
                misses.append(f"{row['file']}/{row['sheet']}: 「{label}」 {row['field']} → {seen}")
    return right, total, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--orgs", type=int, default=1500)
    parser.add_argument("--headers", default="held-out")
    parser.add_argument("--layouts", default="stacked,codes,broken,units")
    parser.add_argument("--split-seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    layouts = frozenset(x for x in args.layouts.split(",") if x)
    for split_seed in args.split_seeds:
        split = split_seed or SPLIT_SEED
        right, total, misses = Counter(), Counter(), []
        with tempfile.TemporaryDirectory() as tmp:
            for seed in args.seeds:
                folder = Path(tmp) / f"county-{seed}"
                generate(folder, seed, args.orgs, HeaderStyle(args.headers, layouts, split))
                r, t, m = measure(folder, split)
                right.update(r)
                total.update(t)
                misses += [f"seed {seed}: {x}" for x in m]
        print(
            f"\nsplit seed {split}, headers {args.headers}, layouts {args.layouts or '—'}, "
            f"county seeds {args.seeds}, {args.orgs} organizations each"
        )
        print(f"{'kind':<12}{'files':>12}{'columns':>16}{'files asking':>16}")
        for kind in sorted({k for _, k in total}):
            f = f"{right['files', kind]}/{total['files', kind]}"
            c = f"{right['columns', kind]}/{total['columns', kind]}"
            a = f"{right['asking', kind]}/{total['files', kind]}"
            print(f"{kind:<12}{f:>12}{c:>16}{a:>16}")
        files = [sum(x[k] for k in x if k[0] == "files") for x in (right, total)]
        cols = [sum(x[k] for k in x if k[0] == "columns") for x in (right, total)]
        print(
            f"{'all':<12}{files[0]}/{files[1]:<6}{cols[0]:>9,}/{cols[1]:,} = {cols[0] / cols[1]:.2%}"
        )
        if args.show_misses:
            print("\n".join(misses))


if __name__ == "__main__":
    main()
