"""What the benchmarks share: the generated county of a size, and a measured child process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def measured(command: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    out, err = child.stdout.read(), child.stderr.read()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out


def county(
    root: Path,
    orgs: int,
    seed: int = 1,
    mess: str = "default",
    dials: tuple[str, ...] = (),
    env: dict | None = None,
) -> Path:
    """The generated county of that size, seed, variation profile and dials (``demo-data``;
    ``env``: the generating process's environment, e.g. a ``PYTHONPATH``)."""
    variant = "" if (seed, mess, dials) == (1, "default", ()) else f"-{mess}-s{seed}"
    folder = root / f"county-{orgs}{variant}{''.join('-' + d for d in dials)}"
    if not (folder / ".truth" / "county.json").exists():
        print(f"generating {orgs:,} organizations into {folder} …", flush=True)
        options = ["--seed", str(seed), "--mess", mess, *(x for d in dials for x in ("--dial", d))]
        subprocess.run(
            [sys.executable, "-m", "liangxin.cli", "demo-data", str(folder), "--orgs", str(orgs)]
            + options,
            check=True,
            env=env,
        )
    return folder
