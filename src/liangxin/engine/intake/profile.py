"""What a column holds, read off a sample of its cells: codes, dates, counts, 是/否, names, lists.

The profile confirms or overrules a header's meaning (a column headed like a count but full of
names is not that count) and finds the code column of a file whose code header says nothing.
It is computed with the same parsers that read the values, so “looks like a date” here means
“would be read as a date”.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from liangxin.engine.normalize.codes import code_is_valid, normalize_code
from liangxin.engine.normalize.values import parse_bool, parse_count, parse_date, parse_money_wan

SAMPLE_ROWS = 200
MIN_EVIDENCE = 5  # fewer filled cells than this say nothing about a column

_PHONE = r"^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"
_LIST = r"[、，,；;\n]"
_CODE_INSIDE = r"[0-9A-Z]{15,20}"
_ORG = (
    r"(公司|厂|店|中心|协会|学会|商会|研究会|基金会|联合会|促进会|合作社|事务所|医院|诊所|学校|"
    r"幼儿园|培训学校|院|部|社|行|馆|站|所|会|室|场|园)$"
)
_PERSON = r"^[\u4e00-\u9fff]{2,4}$"

TRAITS = (
    "code",
    "code_inside",
    "date",
    "count",
    "number",
    "bool",
    "phone",
    "list",
    "org",
    "person",
)
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


def _traits(column: str) -> list[pl.Expr]:
    cell = pl.col(column).str.strip_chars()
    flat = cell.str.replace_all(r"\s", "")
    tests = {
        "code": code_is_valid(normalize_code(cell)),
        "code_inside": cell.str.to_uppercase().str.contains(_CODE_INSIDE),
        "date": parse_date(cell).is_not_null() & ~cell.str.contains(r"^\d{1,4}$"),
        "count": parse_count(cell).is_not_null(),
        "number": parse_money_wan(cell).is_not_null(),
        "bool": parse_bool(cell).is_not_null() & ~cell.str.contains(r"^\d"),
        "phone": flat.str.contains(_PHONE),
        "list": cell.str.contains(_LIST) & (cell.str.len_chars() > 6),
        "org": flat.str.contains(_ORG) & (flat.str.len_chars() > 4),
        "person": flat.str.contains(_PERSON) & ~flat.str.contains(_ORG),
    }
    return [
        test.fill_null(False).cast(pl.Int64).sum().alias(f"{column}:{name}")
        for name, test in tests.items()
    ]


def profile_columns(sample: pl.DataFrame, columns: list[str]) -> dict[str, ColumnProfile]:
    """Profiles of ``columns`` over the rows of ``sample`` (cells as text)."""
    body = sample.select(columns).head(SAMPLE_ROWS)
    filled_cells = [
        pl.col(c).str.strip_chars().fill_null("").ne("").alias(f"{c}:filled") for c in columns
    ]
    counts = body.select(
        *(e.sum() for e in filled_cells), *(e for c in columns for e in _traits(c))
    ).row(0, named=True)
    profiles = {}
    for c in columns:
        filled = counts[f"{c}:filled"] or 0
        shares = {t: (counts[f"{c}:{t}"] or 0) / filled for t in TRAITS} if filled else {}
        values = body[c].drop_nulls().str.strip_chars()
        samples = tuple(dict.fromkeys(v for v in values.to_list() if v))[:3]
        profiles[c] = ColumnProfile(filled, shares, samples)
    return profiles
