"""What every extract writer needs: the world, the output folder, the truth sink, and a random
stream of its own (so one extract's changes never shift another's output)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from liangxin.engine.schema import Kind
from liangxin.synth import pools
from liangxin.synth.headers import HeaderStyle, Retitler
from liangxin.synth.mess import Messer, MessRates
from liangxin.synth.model import Org, World
from liangxin.synth.tables import LINK, Row, Table, joined
from liangxin.synth.truth import TruthRows
from liangxin.synth.writers import write_csv, write_xlsx


@dataclass(frozen=True)
class WrittenFile:
    name: str
    kind: str
    rows: int  # data rows, including duplicates and garbage
    encoding: str = ""  # CSV only


@dataclass
class Context:
    world: World
    out_dir: Path
    sink: TruthRows
    files: list[WrittenFile] = field(default_factory=list)
    style: HeaderStyle = field(default_factory=HeaderStyle)
    fixed_headers: dict[str, str] = field(default_factory=dict)  # mapped by liangxin.toml
    columns: list[dict] = field(default_factory=list)  # truth: the field of each column

    @property
    def area(self) -> str:
        """The county, or the city when the extracts cover several counties."""
        counties = self.world.counties
        return counties[0] if len(counties) == 1 else pools.CITY

    def rng(self, purpose: str) -> random.Random:
        return random.Random(f"liangxin-synth:{self.world.seed}:{purpose}")

    def messer(self, rates: MessRates, rng: random.Random) -> Messer:
        return Messer(rates, self.world.names, rng, self.world.variation)

    def xlsx(self, name: str, kind: str, tables: Iterable[Table]) -> None:
        retitler = self._retitler(name, kind)
        styled = (self._styled(name, retitler, t) for t in tables)
        rows = write_xlsx(self.out_dir / name, kind, styled, self.sink)
        self.files.append(WrittenFile(name, kind, rows))

    def csv(self, name: str, kind: str, table: Table, encoding: str) -> None:
        retitler = self._retitler(name, kind)
        styled = self._styled(name, retitler, table, flat=True)
        rows = write_csv(self.out_dir / name, kind, styled, encoding, self.sink)
        self.files.append(WrittenFile(name, kind, rows, encoding))

    def _retitler(self, name: str, kind: str) -> Retitler:
        return Retitler(self.style, Kind(kind), self.rng(f"headers:{name}"), self.fixed_headers)

    def _styled(self, name: str, retitler: Retitler, table: Table, flat: bool = False) -> Table:
        """The table under this county's header style; its columns' fields go to the truth."""
        styled, fields = retitler.table(table)
        if flat:  # a CSV export has one header line: no group cells
            styled = replace(styled, columns=[replace(c, group="") for c in styled.columns])
        for index, (column, name_) in enumerate(zip(styled.headers, fields, strict=True)):
            self.columns.append(
                {
                    "file": name,
                    "sheet": table.sheet,
                    "column": index,
                    "header": column.header,
                    "field": name_ or "",
                }
            )
        return styled


def org_row(org: Org, cells: tuple[object, ...], tags: Iterable[str]) -> Row:
    return Row(cells, LINK, org_id=org.org_id, mess=tuple(tags))


def units_cell(
    orgs: list[Org], messer: Messer, code_share: float, rng: random.Random
) -> tuple[str, list[str]]:
    """Several units in one cell, each by a (variant) name or by its code."""
    parts, tags = [], set()
    for org in orgs:
        text, unit_tags = messer.reference(org, by_code=rng.random() < code_share)
        parts.append(text)
        tags.update(unit_tags)
    return joined(parts, rng), sorted(tags)
