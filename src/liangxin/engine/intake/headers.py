"""Find the header row(s) under the title rows, tell the extract's kind, map headers to fields.

A header is understood by what it is made of, not looked up in one list (docs/intake.md):
it is normalised (full width, brackets, units, line breaks, spaces, 序号-like prefixes), then
matched exactly against the known spellings (`vocabulary`), by the concept words of each field
(`concepts.toml`), or by closeness to a known spelling — each with a score. What the column
holds (`profile`) then confirms or overrules the match. A column is never mapped by position.

Officials' sheets start with title rows and often have two- or three-row headers where a group
label is merged over its sub-columns (“党员情况” over 正式党员|预备党员) and single labels are
merged vertically. Merged cells read as one value plus blanks, so a stacked header is combined
per column: the lowest label, with the group labels above it, carried right over the columns
they span. A row of column codes (A, B, C1 …) under the header is skipped.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import polars as pl

from liangxin.engine.intake.config import IntakeConfig
from liangxin.engine.intake.profile import ColumnProfile, profile_columns
from liangxin.engine.intake.vocabulary import ANY, SPLIT_SEED, known_spellings
from liangxin.engine.schema import SCHEMAS, Kind, ValueType

HEADER_SEARCH_ROWS = 30
MAX_HEADER_ROWS = 3
MAX_LABEL = 24  # longer cells are titles, notes or values
MIN_SCORE = 3
EXACT, GROUP_PENALTY = 10.0, 2.0
MIN_MATCH = 5.0  # a weaker header match is no match
TIE_MARGIN = 0.3  # kinds whose readings score this close cannot be told apart
PROFILED_SHAPES = 3
FOREIGN_CODES = 3.0  # score lost by a registry reading whose codes are not market entities'
DATA_ROWS_SEEN = 3  # data rows read below a header candidate before the search stops  # header candidates checked against their content
UNUSED = "已确认不用"
NOT_NEEDED = "台账不需要此列"
SURE_MARGIN = 1.0  # a column whose second meaning scores this close is shown to confirm
CONCEPTS_FILE = Path(__file__).with_name("concepts.toml")

_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_UNIT_WORDS = "万元|元|亿元|人|个|名|户|家|位"
_UNIT = re.compile(
    rf"\((?:单位[:：]?)?({_UNIT_WORDS})\)$|[/／]({_UNIT_WORDS})$|单位[:：]({_UNIT_WORDS})$"
)
_PREFIX = re.compile(
    r"^(?:\d{1,2}[.、．)]|[①-⑳]|\(?[一二三四五六七八九十]{1,3}[)、.．]|[A-Z]\d{0,2}[.、．:])(?=.)"
)
_CODE_CELL = re.compile(
    r"^(?:[A-Za-z]{1,2}\d{0,2}|\d{1,2}|[甲乙丙丁戊己庚辛]\d?|栏次|\(\d{1,2}\))$"
)
_VALUE_CELL = re.compile(r"^[\d.,:/\-\s年月日]+$|[0-9A-Z]{15,}")


@cache  # header search tries every label in the first rows against every kind
def header_key(text: str) -> tuple[str, str | None]:
    """Matching key of a header label and the unit it states: “1.营业收入（万元）” → (营业收入, 万元)."""
    key = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    key = re.sub(r"\s+", "", key).strip(":：*").lower()
    key = _PREFIX.sub("", key)
    unit = None
    found = _UNIT.search(key)
    if found:
        unit = next(g for g in found.groups() if g)
        key = key[: found.start()]
    return key, unit


def _flat(key: str) -> str:
    return re.sub(r"[()/、,，]", "", key)


@dataclass(frozen=True)
class Concept:
    all: tuple[tuple[str, ...], ...]
    not_: tuple[str, ...]
    any: tuple[str, ...]

    def score(self, flat: str) -> float:
        """0 when the header lacks a required word or has an excluding one."""
        if not flat or any(w in flat for w in self.not_):
            return 0.0
        matched = 0
        for group in self.all:
            hits = [w for w in group if w in flat]
            if not hits:
                return 0.0
            matched += max(len(w) for w in hits)
        bonus = sum(1 for w in self.any if w in flat)
        coverage = min(1.0, (matched + sum(len(w) for w in self.any if w in flat)) / len(flat))
        return min(9.0, 5.0 + min(bonus, 2) + 2 * coverage)


@cache
def _concepts() -> dict[str, dict[str, Concept]]:
    data = tomllib.loads(CONCEPTS_FILE.read_text(encoding="utf-8"))
    return {
        "unused": data.pop("unused", {}),
        **{
            section: {
                name: Concept(
                    tuple(tuple(g) for g in rule.get("all", ())),
                    tuple(rule.get("not", ())),
                    tuple(rule.get("any", ())),
                )
                for name, rule in fields.items()
            }
            for section, fields in data.items()
        },
    }


def _not_needed(label: str) -> bool:
    """A column departments send that the ledger does not use (登记机关, 经营范围 …)."""
    flat = _flat(header_key(label)[0])
    return any(w in flat for w in _concepts().get("unused", {}).get("words", ()))


def _concept(kind: Kind, name: str) -> Concept | None:
    concepts = _concepts()
    return concepts.get(kind.value, {}).get(name) or concepts.get(ANY, {}).get(name)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


@cache
def _exact_table(kind: Kind, extra: tuple[tuple[str, str], ...], seed: int) -> dict[str, str]:
    own = {f.name for f in SCHEMAS[kind].fields}
    table: dict[str, str] = {}
    for name, texts in known_spellings(kind, seed).items():
        for text in texts:
            table.setdefault(_flat(header_key(text)[0]), name)
    table.update({_flat(header_key(h)[0]): name for h, name in extra if name in own})
    return table


@cache
def _near_table(kind: Kind, seed: int) -> tuple[tuple[frozenset[str], str], ...]:
    return tuple(
        (frozenset(_bigrams(_flat(header_key(t)[0]))), name)
        for name, texts in known_spellings(kind, seed).items()
        for t in texts
    )


@cache
def field_scores(
    kind: Kind, key: str, extra: tuple[tuple[str, str], ...] = (), seed: int = SPLIT_SEED
) -> tuple[tuple[str, float], ...]:
    """(field, score) of one normalised header for ``kind``, best first."""
    flat = _flat(key)
    if not flat or len(flat) > MAX_LABEL or _VALUE_CELL.search(key.upper()):
        return ()  # a value, a title or a note, not a header
    exact = _exact_table(kind, extra, seed).get(flat)
    if exact:
        return ((exact, EXACT),)
    scores: dict[str, float] = {}
    for f in SCHEMAS[kind].fields:
        concept = _concept(kind, f.name)
        if concept:
            scores[f.name] = concept.score(flat)
    if not any(scores.values()):  # closeness to a known spelling only where no concept speaks
        grams = _bigrams(flat)
        for known, name in _near_table(kind, seed):
            dice = 2 * len(grams & known) / (len(grams) + len(known))
            if dice >= 0.6:
                scores[name] = max(scores.get(name, 0.0), 4.0 + 4.0 * dice)
    ranked = sorted(((n, s) for n, s in scores.items() if s >= MIN_MATCH), key=lambda x: -x[1])
    return tuple(ranked)


@dataclass(frozen=True)
class MappedColumn:
    field: str
    column: str  # raw column id c0…cN
    label: str  # the header as written, for messages
    unit: str | None
    score: float = EXACT
    by_content: bool = False  # the header said nothing; the cells did
    doubt: bool = False  # the header could as well mean another field, or it lost its own


@dataclass(frozen=True)
class UnknownColumn:
    column: str
    label: str
    why: str  # Chinese: why it was not used


@dataclass(frozen=True)
class HeaderLayout:
    kind: Kind
    header_rows: tuple[int, ...]  # positions in the sheet frame
    columns: tuple[MappedColumn, ...]
    unknown_labels: tuple[str, ...]  # headers that map to no field (reported, not fatal)
    score: float
    skipped: int = 0  # rows of column codes (A, B, C1 …) under the header
    unknown: tuple[UnknownColumn, ...] = ()

    @property
    def data_start(self) -> int:
        return self.header_rows[-1] + 1 + self.skipped

    def labels(self) -> dict[str, str]:
        return {c.field: c.label for c in self.columns}


@dataclass(frozen=True)
class Reading:
    best: HeaderLayout | None
    tied: list[Kind]  # kinds read as well as the best one: the kind cannot be told
    nearest: HeaderLayout | None  # the most understood reading, even if too little to use


Candidates = list[tuple[str, float]]  # (label, penalty), most specific first


def stacked_labels(rows: list[list[str | None]]) -> list[Candidates]:
    """Candidate labels per column of a header of one to three rows."""
    width = len(rows[0])
    filled = [list(r) for r in rows]
    for i in range(len(rows) - 1):
        group = None
        for c in range(width):
            below = any(rows[j][c] for j in range(i + 1, len(rows)))
            if rows[i][c]:
                group = rows[i][c] if below else None
            elif group and below:
                filled[i][c] = group
            else:
                group = None
    labels: list[Candidates] = []
    for c in range(width):
        parts = list(dict.fromkeys(r[c] for r in filled if r[c]))
        if not parts:
            labels.append([])
            continue
        candidates = [(parts[-1], 0.0)]
        if len(parts) > 1:
            candidates.append(("".join(parts[-2:]), 0.0))
            if len(parts) > 2:
                candidates.append(("".join(parts), 0.0))
            candidates += [(p, GROUP_PENALTY) for p in parts[:-1]]
        labels.append(candidates)
    return labels


def _column_options(
    kind: Kind, candidates: Candidates, extra: tuple, seed: int
) -> tuple[tuple[float, str, str | None], ...]:
    return _options(kind, tuple(candidates), extra, seed)


@lru_cache(maxsize=1 << 14)  # the same labels are tried for every header candidate and kind
def _options(
    kind: Kind, candidates: tuple[tuple[str, float], ...], extra: tuple, seed: int
) -> tuple[tuple[float, str, str | None], ...]:
    """(score, field, unit) per field this column may mean, best per field.

    The column's own label decides when it means anything; only a label that means nothing
    alone (“代码” under “社会信用”, “正式” under “党员”) is read together with the group above
    it, and a group label alone is the last resort. Otherwise a group over several columns
    (“经营情况”) would lend its meaning to each of them.
    """
    tiers = (
        candidates[:1],
        [c for c in candidates[1:] if not c[1]],  # with the group(s) above
        [c for c in candidates if c[1]],  # a group alone
    )
    for tier in tiers:
        best: dict[str, tuple[float, str, str | None]] = {}
        for label, penalty in tier:
            key, unit = header_key(label)
            for name, score in field_scores(kind, key, extra, seed):
                option = (score - penalty, name, unit)
                if option[0] >= MIN_MATCH and option[0] > best.get(name, (0.0,))[0]:
                    best[name] = option
        if best:
            return tuple(best.values())
    return ()


_FITS = {
    ValueType.INT: ("count",),
    ValueType.MONEY_WAN: ("number",),
    ValueType.DATE: ("date",),
    ValueType.BOOL: ("bool",),
    ValueType.CODE: ("code", "code_inside"),
}


def content_fits(kind: Kind, name: str, profile: ColumnProfile | None) -> bool:
    """False when the cells clearly are not what the field holds."""
    if profile is None or not profile.telling:
        return True
    value_type = SCHEMAS[kind].field(name).type
    traits = _FITS.get(value_type)
    if traits:
        return max(profile.share(t) for t in traits) >= 0.3
    if name in ("name", "party_org_name", "park_name", "unit_names", "units"):
        return profile.share("code") < 0.8 and profile.share("count") < 0.8
    if name == "unit_credit_codes":
        return profile.share("code_inside") >= 0.3
    return True


def _map_columns(
    kind: Kind,
    labels: list[Candidates],
    columns: list[str],
    profiles: dict[str, ColumnProfile] | None,
    extra: tuple,
    seed: int,
    unused: frozenset[str] = frozenset(),
) -> tuple[list[MappedColumn], list[UnknownColumn]]:
    options = []
    for index, candidates in enumerate(labels):
        if candidates and candidates[0][0] in unused:
            continue
        for score, name, unit in _column_options(kind, candidates, extra, seed):
            options.append((-score, index, name, unit))
    overruled: dict[int, str] = {}
    fitting = []
    for option in sorted(options, key=lambda o: (o[0], o[1])):
        _, index, name, _ = option
        profile = profiles.get(columns[index]) if profiles else None
        if content_fits(kind, name, profile):
            fitting.append(option)
        else:
            overruled.setdefault(index, name)
    runner_up: dict[int, list[float]] = {}
    for neg, index, _, _ in options:
        runner_up.setdefault(index, []).append(-neg)
    chosen = {
        index: MappedColumn(
            name,
            columns[index],
            labels[index][0][0],
            unit,
            -neg,
            doubt=max((s for s in runner_up[index] if s != -neg), default=0.0) + SURE_MARGIN > -neg
            or sorted(runner_up[index], reverse=True)[:2].count(-neg) > 1,
        )
        for neg, index, name, unit in _assign(fitting)
    }
    taken_fields = {m.field for m in chosen.values()}
    if profiles:
        _map_by_content(kind, columns, labels, profiles, chosen, taken_fields)
    unknown = []
    for index, (column, candidates) in enumerate(zip(columns, labels, strict=True)):
        if index in chosen or not candidates:
            continue
        label = candidates[0][0]
        if label in unused:
            why = UNUSED
        elif _not_needed(label):
            why = NOT_NEEDED
        elif index in overruled:
            field = SCHEMAS[kind].field(overruled[index]).label
            why = f"表头像“{field}”，但内容不像"
        else:
            why = "表头不对应任何字段"
        unknown.append(UnknownColumn(column, label, why))
    return [chosen[i] for i in sorted(chosen)], unknown


def _assign(options: list[tuple[float, int, str, str | None]]) -> list:
    """Columns to fields, each at most once, for the best total score: greedy by score, then
    a column left out takes its field from a column that can move to another free field
    (“镇街名称” is a better 镇街 than 名称 when “社会团体名称” is the only other name)."""
    by_column: dict[int, list] = {}
    for option in options:  # best first
        by_column.setdefault(option[1], []).append(option)
    owner: dict[str, tuple] = {}
    placed: dict[int, tuple] = {}
    for option in options:
        if option[1] not in placed and option[2] not in owner:
            owner[option[2]] = placed[option[1]] = option
    improved = True
    while improved:
        improved = False
        for index, mine in by_column.items():
            if index in placed:
                continue
            for want in mine:
                holder = owner.get(want[2])
                if holder is None:
                    owner[want[2]] = placed[index] = want
                    improved = True
                    break
                moves = [o for o in by_column[holder[1]] if o[2] not in owner]
                if moves and -want[0] - moves[0][0] > -holder[0]:
                    del placed[holder[1]]
                    owner[moves[0][2]] = placed[holder[1]] = moves[0]
                    owner[want[2]] = placed[index] = want
                    improved = True
                    break
    return list(placed.values())


def _map_by_content(kind, columns, labels, profiles, chosen, taken_fields) -> None:
    """An unmapped column full of valid codes is the code column (its header may say 代码 or
    nothing useful); one full of phone numbers is the phone column; one of running numbers
    1, 2, 3 … is the 序号 column."""
    own = {f.name for f in SCHEMAS[kind].fields}
    for trait, name in (("code", "credit_code"), ("phone", "phone"), ("running", "seq")):
        if name not in own or name in taken_fields:
            continue
        fits = [
            i
            for i, c in enumerate(columns)
            if i not in chosen and profiles[c].telling and profiles[c].share(trait) >= 0.8
        ]
        if len(fits) == 1:
            i = fits[0]
            label = labels[i][0][0] if labels[i] else columns[i]
            chosen[i] = MappedColumn(name, columns[i], label, None, MIN_MATCH, by_content=True)
            taken_fields.add(name)


@cache
def _shared_keys(seed: int) -> frozenset[str]:
    """Spellings known for fields of several kinds: such a header tells no kind apart."""
    seen: dict[str, set[Kind]] = {}
    for kind in Kind:
        for texts in known_spellings(kind, seed).values():
            for t in texts:
                seen.setdefault(_flat(header_key(t)[0]), set()).add(kind)
    return frozenset(k for k, kinds in seen.items() if len(kinds) > 1)


def _score(
    kind: Kind,
    mapped: list[MappedColumn],
    profiles: dict[str, ColumnProfile] | None = None,
    seed: int = SPLIT_SEED,
) -> float:
    schema = SCHEMAS[kind]
    names = {m.field for m in mapped} - {"seq"}
    if not names & set(schema.identity):
        return 0.0
    shared = _shared_keys(seed)
    signature = sum(
        1
        for m in mapped
        if schema.field(m.field).signature and _flat(header_key(m.label)[0]) not in shared
    )
    strength = sum(m.score / EXACT for m in mapped if m.field != "seq")
    if kind is Kind.REGISTRY and profiles:
        # 市场监管 registers market entities (codes 9…); codes of social organizations (5…)
        # or law firms (3…) say the file is another department's, whatever its headers say.
        code = next((m.column for m in mapped if m.field == "credit_code"), None)
        if code and profiles[code].telling and profiles[code].share("code_other") >= 0.5:
            strength -= FOREIGN_CODES
    return round(strength + signature, 3) if signature or len(names) >= MIN_SCORE else 0.0


def _code_rows(cleaned: list[list[str | None]], start: int) -> int:
    """1 when the row at ``start`` is a row of column codes (A, B, C1 … or 1, 2, 3 …)."""
    if start >= len(cleaned):
        return 0
    cells = [c for c in cleaned[start] if c]
    if len(cells) >= 2 and sum(1 for c in cells if _CODE_CELL.match(c)) >= 0.8 * len(cells):
        return 1
    return 0


def _looks_like_header(row: list[str | None]) -> bool:
    return not any(c and (_VALUE_CELL.search(c) or len(c) > 30) for c in row)


def locate_header(
    head: pl.DataFrame,
    config: IntakeConfig,
    kind: Kind | None,
    seed: int = SPLIT_SEED,
    unused: frozenset[str] = frozenset(),
) -> Reading:
    """The best header layout in the sheet's first rows, and the kinds tied with it.

    ``head`` holds the sheet's first rows (text columns c0…cN): the header is searched in the
    first ``HEADER_SEARCH_ROWS``; the rows under a candidate header are the sample its columns
    are profiled on. Headers are scored first; only the most promising header rows are then
    checked against their columns' content.
    """
    columns = head.columns
    extra = tuple(sorted(config.headers.items()))
    kinds = [kind] if kind else list(Kind)
    searched = head.head(HEADER_SEARCH_ROWS + MAX_HEADER_ROWS + 1).rows()
    cleaned = [[_clean(c) for c in row] for row in searched]
    shapes: list[tuple[float, int, int, list[Candidates], int]] = []
    data_rows = 0
    for r, top in enumerate(cleaned[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in top if c) < 2:
            continue
        if shapes and not _looks_like_header(top):
            data_rows += 1
            if data_rows >= DATA_ROWS_SEEN:
                break  # the header is above the data: no need to read on
        for height in range(1, MAX_HEADER_ROWS + 1):
            header = cleaned[r : r + height]
            if len(header) < height or (height > 1 and not _looks_like_header(header[-1])):
                break
            labels = stacked_labels(header)
            skipped = _code_rows(cleaned, r + height)
            promise = max(_promise(k, labels, extra, seed) for k in kinds)
            if promise >= 2 * MIN_MATCH:
                shapes.append((promise, r, height, labels, skipped))
    shapes.sort(key=lambda s: (-s[0], s[1], s[2]))
    best: HeaderLayout | None = None
    tied: list[Kind] = []
    nearest: HeaderLayout | None = None  # best partial reading, to explain a refusal
    profiled: dict[int, dict[str, ColumnProfile]] = {}
    for _, r, height, labels, skipped in shapes[:PROFILED_SHAPES]:
        start = r + height + skipped
        if start not in profiled:
            profiled[start] = profile_columns(head.slice(start), columns)
        profiles = profiled[start]
        for k in kinds:
            mapped, unknown = _map_columns(k, labels, columns, profiles, extra, seed, unused)
            score = _score(k, mapped, profiles, seed)
            rows = tuple(range(r, r + height))
            layout = HeaderLayout(
                k,
                rows,
                tuple(mapped),
                tuple(u.label for u in unknown),
                score,
                skipped,
                tuple(unknown),
            )
            strength = sum(m.score for m in mapped)
            if nearest is None or strength > sum(m.score for m in nearest.columns):
                nearest = layout
            if score < MIN_SCORE:
                continue
            if best is None or score > best.score + TIE_MARGIN:
                best, tied = layout, [k]
            elif rows == best.header_rows and score > best.score - TIE_MARGIN:
                tied.append(k)  # as good a reading: the kind cannot be told from the headers
                if score > best.score:
                    best = layout
            elif score > best.score - TIE_MARGIN and _earlier(layout, best):
                best, tied = layout, [k]
    return Reading(best, list(dict.fromkeys(tied)), nearest)


def _promise(kind: Kind, labels: list[Candidates], extra: tuple, seed: int) -> float:
    """Sum of each column's best header score: how much a header reading is worth checking."""
    return sum(
        max((o[0] for o in _column_options(kind, c, extra, seed)), default=0.0) for c in labels
    )


def _earlier(layout: HeaderLayout, other: HeaderLayout) -> bool:
    """Of two equally good readings, the one with fewer header rows higher up."""
    return (len(layout.header_rows), layout.header_rows) < (
        len(other.header_rows),
        other.header_rows,
    )


def _clean(cell: str | None) -> str | None:
    if cell is None:
        return None
    text = re.sub(r"\s*[\r\n]+\s*", "", unicodedata.normalize("NFKC", cell)).strip()
    return text or None
