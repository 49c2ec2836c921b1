"""Organization names: the key records are matched on when their code is missing (SPEC §4)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from liangxin.engine.normalize.text import squeeze_text

# 有限责任公司 ≡ 有限公司, in the spellings officials use (brackets are already unified).
_LIMITED = r"\(有限(?:责任)?公司\)|有限\(责任\)公司|有限责任公司"
# Stripping a region token never leaves a key shorter than this.
_MIN_KEY_CHARS = 2
# A leading administrative-division token: 2–3 characters and a level suffix (山东省, 临沭县).
_REGION_TOKEN = r"^(.{2,3}?[省市县区])"
# 省, 市, 县: how many nested region tokens a name may start with.
_REGION_LEVELS = 3


def _squeeze_key(e: pl.Expr) -> pl.Expr:
    return squeeze_text(e).str.to_uppercase()


def _prepare_prefixes(region_prefixes: Sequence[str]) -> list[str]:
    """Region prefixes in key form, deduplicated, longest first."""
    keys = pl.select(_squeeze_key(pl.Series(list(region_prefixes), dtype=pl.String))).to_series()
    return sorted(set(keys.drop_nulls().to_list()), key=lambda p: (-len(p), p))


def _unless_too_short(stripped: pl.Expr, original: pl.Expr) -> pl.Expr:
    return pl.when(stripped.str.len_chars() >= _MIN_KEY_CHARS).then(stripped).otherwise(original)


def name_key(e: pl.Expr, region_prefixes: Sequence[str] = ()) -> pl.Expr:
    """The matching key of an organization name; empty or whitespace-only → null.

    Whitespace removed, NFKC, upper case, brackets unified to (), 有限责任公司 → 有限公司;
    with `region_prefixes`, a bracketed region token anywhere (“华泰(临沭)商贸”) and any run of
    leading region prefixes (“山东省临沂市…”) are dropped, unless fewer than 2 characters
    would remain. Everything else is kept: “…分公司” is a different organization.
    """
    key = _squeeze_key(e)
    prefixes = _prepare_prefixes(region_prefixes)
    if prefixes:
        # Longest first, so that alternation (leftmost-first) prefers 临沭县 over 临沭.
        alternatives = "|".join(re.escape(p) for p in prefixes)
        key = _unless_too_short(key.str.replace_all(rf"\((?:{alternatives})\)", ""), key)
    key = key.str.replace_all(_LIMITED, "有限公司")
    if prefixes:
        # The greedy repetition strips as many prefixes as leave at least 2 characters.
        key = key.str.replace(rf"^(?:{alternatives})+(.{{{_MIN_KEY_CHARS},}})$", "$1")
    return key


def infer_region_prefixes(names: pl.Series, min_share: float = 0.01) -> list[str]:
    """Region prefixes that start at least `min_share` of the names, longest first.

    Candidates are the leading administrative-division tokens of the names (up to three nested
    ones, e.g. 山东省 / 临沂市 / 临沭县) and their short forms without the suffix (临沭); a name
    counts for a candidate when the candidate starts it or follows its leading tokens.
    """
    keys = pl.select(_squeeze_key(names.cast(pl.String))).to_series().drop_nulls()
    if keys.is_empty():
        return []
    current = pl.DataFrame({"rest": keys}).with_row_index("row")
    remainders = [current]
    tokens = []
    for _ in range(_REGION_LEVELS):
        current = (
            current.with_columns(token=pl.col("rest").str.extract(_REGION_TOKEN, 1))
            .drop_nulls("token")
            .select("row", "token", rest=pl.col("rest").str.slice(pl.col("token").str.len_chars()))
        )
        tokens.append(current.get_column("token"))
        current = current.drop("token")
        remainders.append(current)
    full = pl.concat(tokens).unique()
    candidates = pl.concat([full, full.str.slice(0, full.str.len_chars() - 1)]).unique()
    if candidates.is_empty():
        return []
    lengths = candidates.str.len_chars().unique().to_list()
    starts = pl.concat(
        r.select("row", prefix=pl.col("rest").str.slice(0, n)) for r in remainders for n in lengths
    )
    shares = (
        starts.filter(pl.col("prefix").is_in(candidates.implode()))
        .unique()
        .group_by("prefix")
        .agg(share=pl.len() / keys.len())
        .filter(pl.col("share") >= min_share)
        .sort(pl.col("prefix").str.len_chars(), "share", "prefix", descending=[True, True, False])
    )
    return shares.get_column("prefix").to_list()
