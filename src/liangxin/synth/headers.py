"""Header variation: the same extracts under other counties' header spellings and layouts.

A county's templates differ from the defaults in two ways, each dialled separately:
- ``source``: where header spellings come from — ``default`` (the templates as written by the
  extract writers), ``vocabulary`` (spellings the recognizer knows) or ``held-out`` (the half of
  the collected spellings kept out of the recognizer, to measure recognition honestly);
- ``layouts``: ``stacked`` (group cells over sub-columns, up to three header rows), ``codes``
  (a row of column codes A, B, C1 … under the header), ``broken`` (header cells broken over
  two lines), ``units`` (count headers carry (人)/(名)/(个)).
One file keeps one template: a field gets the same spelling on every sheet of a file.
Which field each written column holds is reported to the truth (``.truth/columns.csv``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from liangxin.engine.intake.headers import header_key
from liangxin.engine.intake.vocabulary import SPLIT_SEED, held_out_spellings, known_spellings
from liangxin.engine.schema import SCHEMAS, Kind, ValueType
from liangxin.synth.tables import Column, Table

SOURCES = ("default", "vocabulary", "held-out")
LAYOUTS = ("stacked", "codes", "broken", "units")
GROUPS = ("基本情况", "基本信息", "单位信息", "登记信息", "有关情况")
OUTER_GROUPS = ("单位基本情况", "登记事项", "汇总信息")
COUNT_UNITS = ("(人)", "（人）", "(名)", "（个）")
UNIT_STYLES = ("（{}）", "({})", "/{}", "\n({})", "（单位：{}）")
CODE_STYLES = ("letters", "numbers", "mixed")


@dataclass(frozen=True)
class HeaderStyle:
    source: str = "default"
    layouts: frozenset[str] = frozenset()
    split_seed: int = SPLIT_SEED

    @property
    def is_default(self) -> bool:
        return self.source == "default" and not self.layouts


@dataclass
class Retitler:
    """Rewrites the tables of one file; remembers its choices so every sheet looks alike."""

    style: HeaderStyle
    kind: Kind
    rng: random.Random
    fixed: dict[str, str] = field(default_factory=dict)  # header → field, kept as written
    spellings: dict[str, str] = field(default_factory=dict)  # field → spelling
    written: dict[str, str] = field(default_factory=dict)  # field:default header → header
    groups: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)
    code_style: str = ""

    def field_of(self, header: str) -> str | None:
        if header in self.fixed:
            return self.fixed[header]
        key = header_key(header)[0]
        for f in SCHEMAS[self.kind].fields:
            if key in {header_key(h)[0] for h in f.headers}:
                return f.name
        return None

    def table(self, table: Table) -> tuple[Table, list[str | None]]:
        """The table as this county writes it, and the field of each written column."""
        columns = table.headers  # 序号 first when the table has one
        fields = [self.field_of(c.header) for c in columns]
        if self.style.is_default:
            return table, fields
        new = [self._column(c, f) for c, f in zip(columns, fields, strict=True)]
        if "stacked" in self.style.layouts and not any(c.group for c in new):
            new = self._stack(new, fields)
        seq = table.seq_header
        if seq:
            seq, new = new[0].header, new[1:]
        codes = ()
        if "codes" in self.style.layouts:
            self.code_style = self.code_style or self.rng.choice(CODE_STYLES)
            codes = _code_row(len(table.headers), self.code_style)
        return replace(table, columns=new, seq_header=seq, code_row=codes), fields

    def _column(self, column: Column, name: str | None) -> Column:
        if name is None or column.header in self.fixed:
            return column
        key = f"{name}:{column.header}"
        if key not in self.written:
            self.written[key] = self._header(column.header, name)
        return replace(column, header=self.written[key])

    def _header(self, header: str, name: str) -> str:
        if name not in self.spellings:
            self.spellings[name] = self._draw(name)
        text = self.spellings[name]
        unit = header_key(header)[1]
        value_type = SCHEMAS[self.kind].field(name).type
        if unit:  # the values are written in this unit: the header must keep saying so
            text += self.rng.choice(UNIT_STYLES).format(unit)
        elif (
            value_type is ValueType.INT
            and "units" in self.style.layouts
            and not header_key(text)[1]
        ):
            text += self.rng.choice(COUNT_UNITS)
        if "broken" in self.style.layouts and len(text) >= 4 and self.rng.random() < 0.5:
            cut = self.rng.randint(2, len(text) - 2)
            text = text[:cut] + "\n" + text[cut:]
        return text

    def _draw(self, name: str) -> str:
        seed = self.style.split_seed
        if self.style.source == "held-out":
            pool = held_out_spellings(self.kind, seed).get(name, ())
        elif self.style.source == "vocabulary":
            pool = known_spellings(self.kind, seed).get(name, ())
        else:
            pool = ()
        used = set(self.spellings.values())
        options = [
            t for t in pool if t not in used and header_key(t)[1] not in ("万元", "元", "亿元")
        ]
        default = SCHEMAS[self.kind].field(name).headers[0]
        return self.rng.choice(options) if options else default

    def _stack(self, columns: list[Column], fields: list[str | None]) -> list[Column]:
        """Group labels over one or two runs of neighbouring columns; sometimes a second level."""
        signature = tuple(f or "" for f in fields)
        if signature not in self.groups:
            chosen: dict[str, str] = {}
            free = [i for i, f in enumerate(fields) if f and f != "seq"]
            start = self.rng.choice(free[:-1]) if len(free) > 2 else None
            if start is not None:
                run = fields[start : start + self.rng.randint(2, 4)]
                label = self.rng.choice(GROUPS)
                if self.rng.random() < 0.4:
                    label = f"{self.rng.choice(OUTER_GROUPS)}|{label}"
                chosen = {f: label for f in run if f and f != "seq"}
            self.groups[signature] = chosen
        chosen = self.groups[signature]
        return [
            replace(c, group=chosen.get(f or "", "")) for c, f in zip(columns, fields, strict=True)
        ]


def _code_row(width: int, style: str) -> tuple[str, ...]:
    letters = [chr(ord("A") + i) if i < 26 else f"A{chr(ord('A') + i - 26)}" for i in range(width)]
    if style == "numbers":
        return tuple(str(i + 1) for i in range(width))
    if style == "mixed":
        return ("甲", *(f"C{i}" for i in range(1, width)))
    return tuple(letters)
