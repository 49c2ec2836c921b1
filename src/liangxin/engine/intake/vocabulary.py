"""The header spellings the recognizer knows, and the half of the collected ones it must not.

``spellings.toml`` lists real header spellings per source kind and field. A fixed random split
(``SPLIT_SEED``) puts half of each field's spellings into the recognizer's vocabulary and keeps
the other half out of it and its tests: generated counties draw their headers from that held-out
half to measure how well headers are understood by meaning (docs/intake.md). The schema's own
headers (the default templates) are always vocabulary.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from liangxin.engine.schema import SCHEMAS, Kind

SPLIT_SEED = 14_2026
SPELLINGS_FILE = Path(__file__).with_name("spellings.toml")
ANY = "any"  # section of spellings shared by every kind that has the field


@dataclass(frozen=True)
class Spelling:
    kind: Kind
    field: str
    text: str
    provenance: str  # "field": a real export or template field; "practice": seen in practice


@cache
def collected() -> tuple[Spelling, ...]:
    """Every collected spelling, expanded to each kind that has the field."""
    data = tomllib.loads(SPELLINGS_FILE.read_text(encoding="utf-8"))
    found: dict[tuple[Kind, str, str], Spelling] = {}
    shared = data.pop(ANY, {})
    for kind in Kind:
        names = {f.name for f in SCHEMAS[kind].fields}
        sections = {**{k: v for k, v in shared.items() if k in names}}
        for name, own in data.get(kind.value, {}).items():
            if name not in names:
                raise ValueError(f"spellings.toml: {kind}.{name} is not a field")
            sections[name] = own  # a kind's own list replaces the shared one
        for name, lists in sections.items():
            for provenance, texts in lists.items():
                for text in texts:
                    found.setdefault((kind, name, text), Spelling(kind, name, text, provenance))
    return tuple(found.values())


def _defaults(kind: Kind, name: str) -> set[str]:
    return set(SCHEMAS[kind].field(name).headers)


def _draw(spelling: Spelling, seed: int) -> str:
    return hashlib.sha256(
        f"{seed}:{spelling.kind}:{spelling.field}:{spelling.text}".encode()
    ).hexdigest()


@cache
def split(seed: int = SPLIT_SEED) -> tuple[tuple[Spelling, ...], tuple[Spelling, ...]]:
    """(vocabulary, held out): per kind and field, the spellings that are not schema headers
    are ordered by a hash of the seed and cut in half; the first half joins the vocabulary."""
    groups: dict[tuple[Kind, str], list[Spelling]] = {}
    for s in collected():
        groups.setdefault((s.kind, s.field), []).append(s)
    vocabulary: list[Spelling] = []
    held_out: list[Spelling] = []
    for (kind, name), spellings in groups.items():
        defaults = _defaults(kind, name)
        vocabulary += [s for s in spellings if s.text in defaults]
        rest = sorted(
            (s for s in spellings if s.text not in defaults), key=lambda s: _draw(s, seed)
        )
        vocabulary += rest[: len(rest) // 2]
        held_out += rest[len(rest) // 2 :]
    return tuple(vocabulary), tuple(held_out)


def known_spellings(kind: Kind, seed: int = SPLIT_SEED) -> dict[str, tuple[str, ...]]:
    """Field → spellings the recognizer knows for ``kind``: schema headers and its vocabulary."""
    known: dict[str, list[str]] = {f.name: list(f.headers) for f in SCHEMAS[kind].fields}
    for s in split(seed)[0]:
        if s.kind is kind and s.text not in known[s.field]:
            known[s.field].append(s.text)
    return {name: tuple(texts) for name, texts in known.items()}


def held_out_spellings(kind: Kind, seed: int = SPLIT_SEED) -> dict[str, tuple[str, ...]]:
    """Field → held-out spellings for ``kind`` (for generated counties only)."""
    held: dict[str, list[str]] = {}
    for s in split(seed)[1]:
        if s.kind is kind:
            held.setdefault(s.field, []).append(s.text)
    return {name: tuple(texts) for name, texts in held.items()}
