"""Microseconds per name of the pinyin sort key (web/core/sortkey.py) vs pypinyin's
``lazy_pinyin`` of the whole name (the baseline, measured in the same run), on the names of a
generated county; the keys must be equal.

    python benchmarks/pinyin_key.py [--orgs 20000]
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

import polars as pl

from _common import county


def names_of(folder: Path) -> list[str]:
    names = []
    for path in sorted(folder.glob("*.csv")):
        try:
            frame = pl.read_csv(path, infer_schema_length=0)
        except pl.exceptions.ComputeError:  # an extract in GBK: its names are in the others too
            continue
        for column in frame.columns:
            if "名称" in column:
                names += [n for n in frame[column].to_list() if n]
    return names


def per_name(function, names: list[str]) -> float:
    started = time.perf_counter()
    for name in names:
        function(name)
    return (time.perf_counter() - started) / len(names) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=20_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangxin.web.settings")
    from pypinyin import lazy_pinyin

    from liangxin.web.core.sortkey import pinyin_key

    def whole(name: str) -> str:
        return re.sub(r"[^0-9a-z]+", " ", " ".join(lazy_pinyin(name)).lower()).strip()

    names = names_of(county(Path(tempfile.gettempdir()) / "liangxin-bench", args.orgs))
    assert all(pinyin_key(n) == whole(n) for n in names[:2000]), "keys differ from lazy_pinyin"
    fast, baseline = per_name(pinyin_key, names), per_name(whole, names)
    print(f"{len(names):,} names: key {fast:.1f} µs, lazy_pinyin {baseline:.1f} µs per name, "
          f"{baseline / fast:.1f}× as fast")  # fmt: skip


if __name__ == "__main__":
    main()
