"""Web import, re-run and page times of two versions of this repository, in the same run: a change
of structure must leave the web no slower (docs/performance.md).

    python benchmarks/web_before_after.py --before main --after HEAD --orgs 20000 --rounds 2

Both refs are checked out (``git worktree add --detach``) into a temporary directory, removed at
the end. Every measurement runs in a child process (``_web_measure.py``) whose ``PYTHONPATH`` is
the checkout's ``src`` (the dependencies are this environment's, the same for both sides), on
SQLite in a fresh data dir per side and round (``LIANGXIN_DATA_DIR``), demo settings, jobs run
inline. The sides alternate (before, after, before, after …) so that the machine's load falls on
both alike; each figure is the median over ``--rounds``:
  1. import: the generated county of ``--orgs`` (``liangxin demo-data``, made once by the
     ``--after`` checkout and kept under ``--data-root``) uploaded, analysed and committed
     through the web import path (what ``liangxin web demo`` does): seconds, and the child's
     peak RSS (migrations included);
  2. re-run: a whole-county re-screening, and the local one after a survey edit (median of
     ``--edits``), as ``rescreen_one_edit.py`` measures them, rolled back;
  3. pages: the 县级管理员 (Django's test client, logged in) GETs the home page, the 组织 list, one
     组织's detail, the review queue and the 销号 list ``--gets`` times each: median ms.
Prints a table (measurement, before, after, after/before) and exits 0: judging it is the reader's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from _common import county, measured

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SIDES = ("before", "after")


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def child_env(checkout: Path, data: Path | None) -> dict:
    """A child's environment: the checkout's code, SQLite in ``data``, jobs run inline (the
    variable is ``LIANGXIN_TASKS`` in older versions, ``LIANGXIN_JOBS`` in newer ones)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(checkout / "src"),
        DJANGO_SETTINGS_MODULE="liangxin.web.settings",
        LIANGXIN_DEMO="1",
        LIANGXIN_TASKS="inline",
        LIANGXIN_JOBS="inline",
        LIANGXIN_ALLOWED_HOSTS="testserver",
    )
    if data is not None:
        env["LIANGXIN_DATA_DIR"] = str(data)
    return env


def run_child(checkout: Path, data: Path, *params: str) -> tuple[dict, float]:
    """(figures, peak RSS in MB) of one ``_web_measure.py`` run against ``checkout``."""
    command = [sys.executable, str(HERE / "_web_measure.py"), *params]
    _, rss, out = measured(command, child_env(checkout, data))
    figures = json.loads(out.strip().splitlines()[-1])
    if not Path(figures["liangxin"]).resolve().is_relative_to(checkout):
        sys.exit(f"the child imported {figures['liangxin']}, not the code of {checkout}")
    return figures, rss


def measure(args, checkouts: dict[str, Path], folder: Path, scratch: Path) -> dict:
    """{side: {row: [value per round]}}."""
    figures = {side: defaultdict(list) for side in SIDES}
    for round_ in range(1, args.rounds + 1):
        data = {side: scratch / f"data-{side}-{round_}" for side in SIDES}
        for side in SIDES:
            print(f"round {round_}, {side}: import …", flush=True)
            result, rss = run_child(checkouts[side], data[side], "import", str(folder))
            figures[side]["import (s)"].append(result["seconds"])
            figures[side]["import, child peak RSS (MB)"].append(rss)
            figures[side]["organizations"].append(result["orgs"])
        for side in SIDES:
            print(f"round {round_}, {side}: re-run …", flush=True)
            result, _ = run_child(checkouts[side], data[side], "rerun", str(args.edits))
            figures[side]["whole-county re-run (s)"].append(result["whole"])
            figures[side]["local re-run after one edit (s)"].append(result["local"])
        for side in SIDES:
            print(f"round {round_}, {side}: pages …", flush=True)
            params = ("pages", str(args.gets), str(args.seed))
            result, _ = run_child(checkouts[side], data[side], *params)
            print(f"  (the detail page shows 组织 {result['org']})")
            for page, ms in result["pages"].items():
                figures[side][f"page: {page} (ms)"].append(ms)
        for side in SIDES:
            shutil.rmtree(data[side])
    return figures


def number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def report(args, commits: dict[str, str], figures: dict) -> None:
    print(f"\n{args.orgs:,} organizations, SQLite, median of {args.rounds} round(s)")
    for side in SIDES:
        print(f"  {side}: {commits[side]}")
    print("\n| measurement | before | after | after/before |\n|---|---:|---:|---:|")
    for row, values in figures["before"].items():
        before = statistics.median(values)
        after = statistics.median(figures["after"][row])
        ratio = f"{after / before:.2f}" if before else "—"
        print(f"| {row} | {number(before)} | {number(after)} | {ratio} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git ref of the baseline")
    parser.add_argument("--after", default="HEAD", help="git ref of the change")
    parser.add_argument("--orgs", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1, help="of the county and the page's 组织")
    parser.add_argument("--edits", type=int, default=5, help="local re-runs per round (median)")
    parser.add_argument("--gets", type=int, default=20, help="GETs of each page per round")
    parser.add_argument("--data-root", type=Path, default=Path("/tmp/liangxin-bench"))
    args = parser.parse_args()
    refs = {"before": args.before, "after": args.after}
    commits = {
        side: git("rev-parse", "--verify", f"{ref}^{{commit}}") for side, ref in refs.items()
    }
    titles = {
        side: f"{refs[side]} = {git('log', '-1', '--format=%h %s', c)}"
        for side, c in commits.items()
    }
    with tempfile.TemporaryDirectory(prefix="lx-before-after-") as tmp:
        scratch = Path(tmp).resolve()
        checkouts = {}
        try:
            for side in SIDES:
                checkouts[side] = scratch / side
                git("worktree", "add", "--detach", "--quiet", str(checkouts[side]), commits[side])
            env = child_env(checkouts["after"], None)
            folder = county(args.data_root, args.orgs, args.seed, env=env)
            figures = measure(args, checkouts, folder, scratch)
        finally:
            for path in checkouts.values():
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)])
            git("worktree", "prune")
    report(args, titles, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
