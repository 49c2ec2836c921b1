"""A province on Spark against its counties built one after another by the Polars engine.

    python benchmarks/province.py --orgs 100000 1000000 --counties 12 [--master local[2]]
        [--data-root /tmp/liangxin-bench]

For every size it generates a province (``liangxin demo-data --province``, reused when already
there), then runs, in the same run:
  spark   ``liangxin build PROVINCE --engine spark --master …``: every county built by the
          Polars engine inside a Spark task, then the cross-county findings and the roll-up;
  polars  ``liangxin build COUNTY`` for each county folder, one process after another (the
          baseline: what a province does today, county by county).
Memory is sampled every 0.2 s from /proc over the whole process tree: for Spark, the driver's
Python, the JVM (driver and executors: one process in local mode) and the Python workers that
run the counties, each class summed over its processes; for Polars the largest county's process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path

SAMPLE_SECONDS = 0.2


def tree_rss(root: int) -> dict[str, float]:
    """RSS in MB of ``root`` and its descendants, by class: driver, jvm, workers."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    totals = {"driver": 0.0, "jvm": 0.0, "workers": 0.0}
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * 4096 / 2**20
        except (OSError, IndexError):
            continue
        kind = "jvm" if "java" in cmd.split(" ")[0] else "workers" if "pyspark" in cmd else "driver"
        totals[kind] += rss
    return totals


def sampled(command: list[str]) -> tuple[float, dict[str, float]]:
    """(wall seconds, peak MB per class and in total) of a command and its process tree."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {"driver": 0.0, "jvm": 0.0, "workers": 0.0, "total": 0.0}

    def sample() -> None:
        while child.poll() is None:
            now = tree_rss(child.pid)
            now["total"] = sum(now.values())
            for key, value in now.items():
                peaks[key] = max(peaks[key], value)
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = child.communicate()
    sampler.join()
    if child.returncode not in (0, 1):  # 1: some county or file could not be read
        sys.exit(f"{' '.join(command)} failed:\n{err[-2000:]}")
    return time.perf_counter() - started, peaks


def province(root: Path, orgs: int, counties: int) -> Path:
    folder = root / f"province-{orgs}-{counties}"
    if not (folder / ".truth" / "moved.csv").exists():
        print(f"generating {orgs:,} organizations in {counties} counties into {folder} …")
        subprocess.run(
            [sys.executable, "-m", "liangxin.cli", "demo-data", str(folder), "--orgs", str(orgs)]
            + ["--province", str(counties)],
            check=True,
        )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[100_000])
    parser.add_argument("--counties", type=int, default=12)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/liangxin-bench"))
    parser.add_argument("--as-of", default="2024-06-30")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "liangxin.cli", "build", "--as-of", args.as_of, "--no-progress"]
    print(
        "| orgs | counties | largest county | spark s | spark peak MB driver / JVM / workers"
        " / total | polars s (county by county) | polars peak MB (largest county) |"
    )
    for orgs in args.orgs:
        folder = province(args.data_root, orgs, args.counties)
        out = args.data_root / f"out-{orgs}-{args.counties}"
        spark_s, spark = sampled(
            [*cli, str(folder), "--out", str(out / "spark"), "--engine", "spark"]
            + ["--master", args.master]
        )
        county_dirs = sorted(p.parent for p in folder.glob("*/*/liangxin.toml"))
        largest = max(
            (d / ".truth" / "orgs.csv").read_text(encoding="utf-8").count("\n") - 1
            for d in county_dirs
        )
        polars_s, polars_peak = 0.0, 0.0
        for county in county_dirs:
            seconds, peaks = sampled(
                [*cli, str(county), "--out", str(out / "polars" / county.name)]
            )
            polars_s += seconds
            polars_peak = max(polars_peak, peaks["total"])
        print(
            f"| {orgs:,} | {len(county_dirs)} | {largest:,} | {spark_s:.0f} | "
            f"{spark['driver']:.0f} / {spark['jvm']:.0f} / {spark['workers']:.0f} / "
            f"{spark['total']:.0f} | {polars_s:.0f} | {polars_peak:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
