"""A synthetic province: county folders of skewed sizes, grouped by city, a few organizations
registered in two counties (moved, not yet struck off where they left).

``INPUT/<市>/<县区>/`` holds each county's extracts as ``generate`` writes them (with its own
``.truth``); ``INPUT/.truth/moved.csv`` lists the moved credit codes with both counties.
"""

from __future__ import annotations

import csv
import random
import time
from dataclasses import dataclass
from pathlib import Path

from liangxin.synth import TRUTH_DIR, generate
from liangxin.synth.codes import is_valid
from liangxin.synth.pools import CITY, COUNTIES

MIN_COUNTY = 100  # the smallest county the generator makes
SKEW = 1.0  # sigma of the log-normal the county sizes are drawn from


@dataclass(frozen=True)
class ProvinceSummary:
    out_dir: Path
    sizes: dict[str, int]  # county folder → organizations
    moved: int
    seconds: float

    def __str__(self) -> str:
        biggest = max(self.sizes.values())
        return (
            f"已生成模拟省份：{len(self.sizes)} 个县区，共 {sum(self.sizes.values())} 个单位"
            f"（最大的县区 {biggest} 个），{self.moved} 个单位在两个县区登记（迁出迁入），"
            f"用时 {self.seconds:.1f} 秒 → {self.out_dir}"
        )


def county_sizes(n_orgs: int, counties: int, rng: random.Random) -> list[int]:
    """``counties`` sizes adding up to ``n_orgs``, log-normally skewed, none below MIN_COUNTY."""
    if n_orgs < MIN_COUNTY * counties:
        raise ValueError(f"{counties} 个县区至少需要 {MIN_COUNTY * counties} 个单位")
    weights = [rng.lognormvariate(0, SKEW) for _ in range(counties)]
    spare = n_orgs - MIN_COUNTY * counties
    sizes = [MIN_COUNTY + int(spare * w / sum(weights)) for w in weights]
    sizes[sizes.index(max(sizes))] += n_orgs - sum(sizes)
    return sizes


def county_folders(counties: int) -> list[Path]:
    """市/县区 folder names: 临沂市's counties first, then further cities of as many."""
    per_city = len(COUNTIES)
    return [
        Path(CITY if i < per_city else f"模拟{i // per_city + 1}市", COUNTIES[i % per_city][0])
        for i in range(counties)
    ]


def generate_province(
    out_dir: Path, seed: int = 1, n_orgs: int = 3000, counties: int = 3, moved: int = 3
) -> ProvinceSummary:
    """Each county after the first registers ``moved`` organizations of the one before it."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    rng = random.Random(f"liangxin-synth:{seed}:province")
    sizes = county_sizes(n_orgs, counties, rng)
    folders = county_folders(counties)
    moves: list[tuple[str, str, str]] = []  # code, from, to
    for i, (folder, size) in enumerate(zip(folders, sizes, strict=True)):
        codes = _registered_codes(out_dir / folders[i - 1], moved) if i else []
        generate(out_dir / folder, seed=seed * 1000 + i, n_orgs=size, moved_in=codes)
        moves += [(code, str(folders[i - 1]), str(folder)) for code in codes]
    (out_dir / TRUTH_DIR).mkdir(exist_ok=True)
    with (out_dir / TRUTH_DIR).joinpath("moved.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([("credit_code", "from", "to"), *moves])
    return ProvinceSummary(
        out_dir,
        {str(f): n for f, n in zip(folders, sizes, strict=True)},
        len(moves),
        time.perf_counter() - started,
    )


def _registered_codes(county: Path, n: int) -> list[str]:
    """The last ``n`` valid codes of a county's registered enterprises (the first ones may
    themselves have moved in)."""
    with (county / TRUTH_DIR / "orgs.csv").open(encoding="utf-8") as f:
        rows = [
            r["credit_code"]
            for r in csv.DictReader(f)
            if r["in_registry"] == "true"
            and r["kind"] == "enterprise"
            and is_valid(r["credit_code"])
        ]
    return rows[-n:] if n else []
