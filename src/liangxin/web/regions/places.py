"""Place objects in the region tree: the county, its 镇街, and a 村/社区 named in an address."""

from __future__ import annotations

import re

from liangxin.web.core.paths import child_path
from liangxin.web.regions.models import Region

UNKNOWN_COUNTY = "本县（区）"


class Placer:
    """Finds or creates regions while an import is committed (inside its transaction)."""

    def __init__(self, county_name: str = ""):
        self.created: list[Region] = []
        self._by_parent: dict[tuple[int | None, str], Region] = {
            (r.parent_id, r.name): r for r in Region.objects.all()
        }
        roots = [r for r in self._by_parent.values() if r.parent_id is None]
        self.county = roots[0] if roots else self._create(county_name or UNKNOWN_COUNTY, None)

    def place(self, town: str | None, address: str | None = None) -> Region:
        if not town:
            return self.county
        region = self._get(town, self.county, Region.Level.TOWN)
        village = village_in(address, town)
        return self._get(village, region, Region.Level.VILLAGE) if village else region

    def _get(self, name: str, parent: Region, level: str) -> Region:
        found = self._by_parent.get((parent.pk, name))
        return found or self._create(name, parent, level)

    def _create(self, name: str, parent: Region | None, level: str = Region.Level.COUNTY):
        region = Region.objects.create(name=name, level=level, parent=parent, path=f"~{name}")
        region.path = child_path(parent.path if parent else "", region.pk)
        region.save(update_fields=["path"])
        self._by_parent[(parent.pk if parent else None, name)] = region
        self.created.append(region)
        return region


def village_in(address: str | None, town: str) -> str | None:
    """“临沭县蛟龙镇蛟龙东村” → 蛟龙东村 (the 村 or 社区 right after the 镇街 in an address)."""
    if not address or town not in address:
        return None
    rest = address.split(town, 1)[1]
    match = re.match(r"^([\u4e00-\u9fff]{1,8}?(?:村|社区))(?:\d+号)?$", rest)
    return match.group(1) if match else None
