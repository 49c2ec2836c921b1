"""Find the header row(s) under the title rows, tell the extract's kind, map headers to fields.

Officials' sheets start with title rows and often have two-row headers where a group label is
merged over its sub-columns (“党员情况” over 正式党员|预备党员) and single labels are merged
vertically over both rows. Merged cells read as one value plus blanks, so a two-row header is
combined per column: the sub-label if there is one, else the label above it, with the group label
carried right over the sub-columns it spans.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from liangxin.engine.intake.config import IntakeConfig
from liangxin.engine.schema import SCHEMAS, Kind

HEADER_SEARCH_ROWS = 30
MIN_SCORE = 3

_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_UNIT = re.compile(r"\((?:单位[:：]?)?(万元|元|亿元|人|个|名|户|家)\)$|[/／](万元|元|人)$")


@cache  # header search tries every label in the first rows against every kind
def header_key(text: str) -> tuple[str, str | None]:
    """Matching key of a header label and the unit it states: “营业收入（万元）” → (营业收入, 万元)."""
    key = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    key = re.sub(r"\s+", "", key).strip(":：*").lower()
    unit = None
    found = _UNIT.search(key)
    if found:
        unit = found.group(1) or found.group(2)
        key = key[: found.start()]
    return key, unit


@cache
def _synonyms(kind: Kind, extra: tuple[tuple[str, str], ...]) -> dict[str, str]:
    schema = SCHEMAS[kind]
    table = {header_key(h)[0]: f.name for f in schema.fields for h in f.headers}
    own_fields = {f.name for f in schema.fields}
    table.update({header_key(h)[0]: name for h, name in extra if name in own_fields})
    return table


@dataclass(frozen=True)
class MappedColumn:
    field: str
    column: str  # raw column id c0…cN
    label: str  # the header as written, for messages
    unit: str | None


@dataclass(frozen=True)
class HeaderLayout:
    kind: Kind
    header_rows: tuple[int, ...]  # positions in the sheet frame
    columns: tuple[MappedColumn, ...]
    unknown_labels: tuple[str, ...]  # headers that map to no field (reported, not fatal)
    score: int

    @property
    def data_start(self) -> int:
        return self.header_rows[-1] + 1

    def labels(self) -> dict[str, str]:
        return {c.field: c.label for c in self.columns}


def combined_labels(top: list[str | None], bottom: list[str | None] | None) -> list[list[str]]:
    """Candidate labels per column, most specific first."""
    if bottom is None:
        return [[t] if t else [] for t in top]
    labels: list[list[str]] = []
    group = None
    for t, b in zip(top, bottom, strict=True):
        if t and b:
            group = t
            labels.append([b, t + b, t])
        elif t:  # merged vertically over both rows, or a lone label
            group = None
            labels.append([t])
        elif b:  # under a group label merged from the left
            labels.append([b, group + b] if group else [b])
        else:
            group = None
            labels.append([])
    return labels


def _keyed(labels: list[list[str]]) -> list[list[tuple[str, str | None]]]:
    """`header_key` of every candidate label, computed once for all kinds."""
    return [[header_key(label) for label in candidates] for candidates in labels]


def _map_columns(
    kind: Kind,
    labels: list[list[str]],
    keys: list[list[tuple[str, str | None]]],
    columns: list[str],
    extra: tuple,
) -> tuple[list[MappedColumn], list[str]]:
    table = _synonyms(kind, extra)
    mapped: list[MappedColumn] = []
    seen: set[str] = set()
    unknown: list[str] = []
    for column, candidates, candidate_keys in zip(columns, labels, keys, strict=True):
        for key, unit in candidate_keys:
            name = table.get(key)
            if name:
                if name not in seen:  # the first of two columns meaning the same wins
                    seen.add(name)
                    mapped.append(MappedColumn(name, column, candidates[0], unit))
                break
        else:
            if candidates:
                unknown.append(candidates[0])
    return mapped, unknown


def _score(kind: Kind, mapped: list[MappedColumn]) -> int:
    schema = SCHEMAS[kind]
    names = {m.field for m in mapped} - {"seq"}
    if not names & set(schema.identity):
        return 0
    signature = sum(1 for f in schema.fields if f.signature and f.name in names)
    return len(names) + signature if signature or len(names) >= MIN_SCORE else 0


def locate_header(
    rows: list[tuple[str | None, ...]], columns: list[str], config: IntakeConfig, kind: Kind | None
) -> tuple[HeaderLayout | None, list[Kind]]:
    """The best header layout in the first rows, and the kinds tied with it (for messages)."""
    extra = tuple(sorted(config.headers.items()))
    kinds = [kind] if kind else list(Kind)
    best: HeaderLayout | None = None
    tied: list[Kind] = []
    cleaned = [[_clean(c) for c in row] for row in rows[:HEADER_SEARCH_ROWS]]
    for r, top in enumerate(cleaned):
        if sum(1 for c in top if c) < 2:
            continue
        shapes = [((r,), combined_labels(top, None))]
        if r + 1 < len(cleaned):
            shapes.append(((r, r + 1), combined_labels(top, cleaned[r + 1])))
        for header_rows, labels in shapes:
            keys = _keyed(labels)
            for k in kinds:
                mapped, unknown = _map_columns(k, labels, keys, columns, extra)
                score = _score(k, mapped)
                if score < MIN_SCORE:
                    continue
                layout = HeaderLayout(k, header_rows, tuple(mapped), tuple(unknown), score)
                if best is None or score > best.score:
                    best, tied = layout, [k]
                elif score == best.score and header_rows == best.header_rows and k not in tied:
                    tied.append(k)
    return best, tied


def _clean(cell: str | None) -> str | None:
    if cell is None:
        return None
    text = unicodedata.normalize("NFKC", cell).strip()
    return text or None
