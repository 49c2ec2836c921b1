"""What a column holds, read off a sample of its cells: codes, dates, counts, 是/否, names, lists.

The profile confirms or overrules a header's meaning (a column headed like a count but full of
names is not that count) and finds the code column of a file whose code header says nothing.
It looks at a few hundred cells per column, so it is plain Python on the sample; the patterns
follow what the value parsers in `liangxin.engine.normalize.values` accept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from liangxin.engine.normalize.codes import is_valid_code
from liangxin.engine.normalize.values import FALSE_TOKENS, TRUE_TOKENS

SAMPLE_ROWS = 200
MIN_EVIDENCE = 5  # fewer filled cells than this say nothing about a column

_PATTERNS = {
    "code_inside": re.compile(r"[0-9A-Z]{15,20}"),
    "date": re.compile(
        r"^(?:\d{4}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?(?:\d{1,2}:\d{2}(?::\d{2})?)?|\d{8}|[1-5]\d{4}(?:\.0+)?)$"
    ),
    "count": re.compile(
        r"^(?:约|大约|共|计)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?(?:人|名|个|家|位|户)?$"
    ),
    "number": re.compile(r"^-?\d[\d,]*(?:\.\d+)?(?:万元|元|万|亿元)?$"),
    "phone": re.compile(r"^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"),
    "org": re.compile(
        r"(公司|厂|店|中心|协会|学会|商会|研究会|基金会|联合会|促进会|合作社|事务所|医院|诊所|"
        r"学校|幼儿园|院|部|社|行|馆|站|所|会|室|场|园)$"
    ),
    "person": re.compile(r"^[\u4e00-\u9fff]{2,4}$"),
}
_SPACE = re.compile(r"\s")
_LIST = re.compile(r"[、，,；;\n]")
_BOOL = {t.upper() for t in TRUE_TOKENS + FALSE_TOKENS} - {"1", "0", "1.0", "0.0"}

TRAIT_LABELS = {
    "code": "统一社会信用代码",
    "date": "日期",
    "count": "整数",
    "number": "数字",
    "bool": "是/否",
    "phone": "电话号码",
    "list": "多个名称（以、；分隔）",
    "org": "单位名称",
    "person": "人名",
}


@dataclass(frozen=True)
class ColumnProfile:
    filled: int
    shares: dict[str, float]  # trait → share of the filled cells
    samples: tuple[str, ...]  # a few distinct values, for the person who has to decide

    def share(self, trait: str) -> float:
        return self.shares.get(trait, 0.0)

    @property
    def telling(self) -> bool:
        return self.filled >= MIN_EVIDENCE

    def looks_like(self) -> str:
        """The most telling trait in Chinese, for messages; "" when nothing stands out."""
        ranked = [t for t in TRAIT_LABELS if self.share(t) >= 0.6]
        return TRAIT_LABELS[ranked[0]] if ranked else ""


_NUMERIC = ("code_inside", "date", "count", "number", "phone")  # need a digit
_WORDY = ("org", "person")  # need a letter or character


@lru_cache(maxsize=1 << 16)
def cell_traits(text: str) -> frozenset[str]:
    """The traits of one filled cell (cached: columns repeat their values)."""
    flat = _SPACE.sub("", unicodedata.normalize("NFKC", text)).upper()
    digits = any(ch.isdigit() for ch in flat)
    patterns = (_NUMERIC if digits else ()) + (_WORDY if not flat[:1].isdigit() else ())
    found = {t for t in patterns if _PATTERNS[t].search(flat)}
    if "org" in found and len(flat) <= 4:
        found.discard("org")
    if "org" in found:
        found.discard("person")
    if len(flat) == 18 and is_valid_code(flat):
        found.add("code")
        if flat[0] in "35":  # social organizations and law firms, not market entities
            found.add("code_other")
    if flat in _BOOL:
        found.add("bool")
    if len(flat) > 6 and _LIST.search(text):
        found.add("list")
    return frozenset(found)


def _next(a: str, b: str) -> bool:
    """b is the running number after a (a 序号 column)."""
    return a.isdigit() and b.isdigit() and int(b) == int(a) + 1


def profile_columns(sample: pl.DataFrame, columns: list[str]) -> dict[str, ColumnProfile]:
    """Profiles of ``columns`` over the first ``SAMPLE_ROWS`` rows of ``sample`` (text cells)."""
    body = sample.select(columns).head(SAMPLE_ROWS)
    profiles = {}
    for c in columns:
        values = [v.strip() for v in body[c].to_list() if v and v.strip()]
        counts: dict[str, int] = {}
        for v in values:
            for t in cell_traits(v):
                counts[t] = counts.get(t, 0) + 1
        shares = {t: n / len(values) for t, n in counts.items()}
        if len(values) > 1:
            steps = sum(1 for a, b in zip(values, values[1:], strict=False) if _next(a, b))
            shares["running"] = steps / (len(values) - 1)
        profiles[c] = ColumnProfile(len(values), shares, tuple(dict.fromkeys(values))[:3])
    return profiles
