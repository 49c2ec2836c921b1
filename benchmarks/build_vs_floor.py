"""`liangxin build` against the I/O floor: merely parsing the same files with the fastest readers.

    python benchmarks/build_vs_floor.py --orgs 100000 1000000 [--data-root /tmp/liangxin-bench]
    python benchmarks/build_vs_floor.py --orgs 100000 --data /tmp/data/d100k

For every size it generates a county (reused when already there; ``--data`` names an existing
county folder instead, one per size), then runs, each in a fresh process so peak memory is its
own:
  floor  every sheet of every xlsx/xls read by fastexcel (calamine) as text, every CSV by Polars
         (GBK/GB18030 files decoded first, as they must be);
  build  the full `liangxin build` (intake, reconciliation, screening, all outputs).
It prints wall time, peak RSS and build/floor as a ratio, and the growth between sizes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _common import county, measured

FLOOR = r"""
import sys
from pathlib import Path
import fastexcel, polars as pl
rows = 0
for path in sorted(Path(sys.argv[1]).iterdir()):
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls"):
        book = fastexcel.read_excel(str(path))
        for name in book.sheet_names:
            sheet = book.load_sheet(name, header_row=None, dtypes="string")
            rows += sheet.height
    elif suffix == ".csv":
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        frame = pl.read_csv(text.encode(), has_header=False, infer_schema=False,
                            truncate_ragged_lines=True, quote_char='"')
        rows += frame.height
print(rows)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[100_000])
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/liangxin-bench"))
    parser.add_argument(
        "--data", type=Path, nargs="+", help="existing county folders, one per --orgs size"
    )
    args = parser.parse_args()
    if args.data and len(args.data) != len(args.orgs):
        parser.error("--data needs one folder per --orgs size")
    results = []
    for k, orgs in enumerate(args.orgs):
        folder = args.data[k] if args.data else county(args.data_root, orgs)
        size_mb = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 2**20
        floor_s, floor_mb, rows = measured([sys.executable, "-c", FLOOR, str(folder)])
        out = args.data_root / f"out-{orgs}"
        build_s, build_mb, _ = measured(
            [
                sys.executable,
                "-m",
                "liangxin.cli",
                "build",
                str(folder),
                "--out",
                str(out),
                "--as-of",
                "2020-07-01",
                "--no-progress",
            ]
        )
        results.append((orgs, build_s))
        print(
            f"{orgs:>9,} orgs  {size_mb:7.0f} MB input  {int(rows):>10,} raw rows | "
            f"floor {floor_s:7.1f} s {floor_mb:6.0f} MB | build {build_s:7.1f} s "
            f"{build_mb:6.0f} MB peak | build/floor {build_s / floor_s:4.2f}×",
            flush=True,
        )
    for (small, small_s), (large, large_s) in zip(results, results[1:], strict=False):
        print(
            f"growth {small:,} → {large:,} orgs ({large / small:.0f}×): "
            f"build time {large_s / small_s:.1f}×"
        )


if __name__ == "__main__":
    main()
