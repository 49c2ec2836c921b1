"""Counties, 镇街, addresses and parks (园区, 楼宇, 商圈…) of the synthetic county or city."""

from __future__ import annotations

import math
import random

from liangxin.synth import pools
from liangxin.synth.model import Park, Town
from liangxin.synth.names import ZIHAO_CHARS, short_region, town_short

TOWNS_PER_COUNTY = 14
_COUNTY_CENTER = {"临沭县": (118.65, 34.92)}
_CITY_CENTER = (118.35, 35.10)


def town_count(n_orgs: int) -> int:
    """≈ 12 镇街 for a county of 3,000 organizations, ≈ 160 for a city of a million."""
    return max(3, round(12 * (n_orgs / 3000) ** 0.45))


def make_towns(n_orgs: int, rng: random.Random) -> list[Town]:
    n_towns = town_count(n_orgs)
    n_counties = min(len(pools.COUNTIES), math.ceil(n_towns / TOWNS_PER_COUNTY))
    counties = [name for name, _ in pools.COUNTIES[:n_counties]]
    stems = {town_short(t) for t in pools.LINSHU_TOWNS}
    towns: list[Town] = []
    for c, county in enumerate(counties):
        size = n_towns // n_counties + (1 if c < n_towns % n_counties else 0)
        lon0, lat0 = _COUNTY_CENTER.get(
            county,
            (_CITY_CENTER[0] + rng.uniform(-0.6, 0.6), _CITY_CENTER[1] + rng.uniform(-0.5, 0.5)),
        )
        names = list(pools.LINSHU_TOWNS[:size]) if c == 0 else []
        while len(names) < size:
            stem = rng.choice(pools.TOWN_FIRST) + rng.choice(pools.TOWN_SECOND)
            if stem in stems:
                continue
            stems.add(stem)
            suffix = (
                "街道" if len(names) < max(1, size // 5) else rng.choices(("镇", "乡"), (3, 1))[0]
            )
            names.append(stem + suffix)
        towns += [
            Town(
                name,
                county,
                round(lon0 + rng.uniform(-0.12, 0.12), 6),
                round(lat0 + rng.uniform(-0.1, 0.1), 6),
            )
            for name in names
        ]
    return towns


def town_weight(town: Town, rng: random.Random) -> float:
    """How many organizations a 镇街 has, relative to the others: 街道 are the busiest."""
    base = 3.0 if town.name.endswith("街道") else 0.6 if town.name.endswith("乡") else 1.0
    return base * rng.uniform(0.6, 1.4)


def address(county: str, town: str, rng: random.Random) -> str:
    """临沭县郑山街道常林路123号, 山东省临沂市临沭县蛟龙镇蛟龙村."""
    region = rng.choices((county, f"{pools.PROVINCE}{pools.CITY}{county}"), (4, 1))[0]
    if town.endswith("街道") or rng.random() < 0.6:
        road = rng.choice(pools.ROAD_FIRST) + rng.choice(pools.ROAD_SUFFIX)
        return f"{region}{town}{road}{rng.randint(1, 999)}号"
    return f"{region}{town}{town_short(town)}{rng.choice('东西南北前后')}村"


_ZONE_LEVELS = ("国家级", "省级", "市级", "县级")
_CLUSTER_KINDS = ("楼宇", "商圈", "商城", "商会", "孵化器", "众创空间")


def _cluster_name(kind: str, county: str, town: str, rng: random.Random) -> str:
    zihao = "".join(rng.choices(ZIHAO_CHARS, k=2))
    region = short_region(county)
    return {
        "楼宇": f"{zihao}{rng.choice(('大厦', '国际商务中心', '金融大厦'))}",
        "商圈": f"{town_short(town)}{rng.choice(pools.ROAD_FIRST)}商圈",
        "商城": f"{region}{zihao}{rng.choice(('商城', '国际商贸城', '建材城'))}",
        "商会": f"{county}{rng.choice(pools.INDUSTRIES)[0]}商会",
        "孵化器": f"{region}{zihao}创业孵化器",
        "众创空间": f"{zihao}众创空间",
    }[kind]


def make_parks(towns: list[Town], rng: random.Random) -> list[Park]:
    """A development zone per county, industrial parks in some 镇, clusters in the busy towns."""
    parks: list[Park] = []
    taken: set[str] = set()

    def add(name: str, level: str, kind: str, town: Town) -> None:
        if name not in taken:
            taken.add(name)
            parks.append(Park(f"K{len(parks) + 1:05d}", name, level, kind, town.name, town.county))

    seen_counties: set[str] = set()
    for town in towns:
        region = short_region(town.county)
        if town.county not in seen_counties:
            seen_counties.add(town.county)
            level = "省级" if town.county == pools.COUNTIES[0][0] else rng.choice(_ZONE_LEVELS[:2])
            add(f"{region}经济开发区", level, "园区", town)
        elif rng.random() < 0.4:
            trade = rng.choice(("化工", "木业", "食品", "机械", "柳编", "物流", "新材料"))
            stem = town_short(town.name)
            name = rng.choice((f"{region}{stem}工业园", f"{stem}{trade}产业园"))
            add(name, rng.choice(_ZONE_LEVELS[2:]), "园区", town)
        clusters = 2 if town.name.endswith("街道") else int(rng.random() < 0.35)
        for _ in range(clusters):
            kind = rng.choice(_CLUSTER_KINDS)
            add(_cluster_name(kind, town.county, town.name, rng), "", kind, town)
    return parks
