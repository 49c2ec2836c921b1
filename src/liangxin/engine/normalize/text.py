"""Text cleaning shared by all normalisers: NFKC, whitespace and bracket style (docs/rules.md §R3.3)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

# Contents of a regex character class for what counts as whitespace: Unicode whitespace plus
# control and format characters (zero-width space, BOM, soft hyphen) that exports carry.
WHITESPACE_CHARS = r"\s\p{Cc}\p{Cf}"
WHITESPACE_RUN = f"[{WHITESPACE_CHARS}]+"

# After NFKC, （） and ［］ are already ASCII; the remaining bracket styles map to ().
_BRACKETS = {"【": "(", "〔": "(", "[": "(", "】": ")", "〕": ")", "]": ")"}


def let(value: pl.Expr | pl.Series, body: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """`body` of `value`, with `value` computed once however often `body` refers to it.

    Eager `select`/`with_columns` do not eliminate common subexpressions: an expression that
    uses its input twice computes that input twice, and nested normalisers multiply it. A struct
    field is computed once and read by `body` as a plain column. Keeps `value`'s output name.
    """
    if isinstance(value, pl.Series):  # the normalisers also take Series
        value = pl.lit(value)
    name = value.meta.output_name(raise_if_undetermined=False) or "value"
    bound = pl.struct(value.alias(name)).struct.with_fields(body(pl.field(name)).alias(name))
    return bound.struct.field(name)


def null_if_empty(e: pl.Expr) -> pl.Expr:
    """Empty strings become null."""
    return let(e, lambda v: pl.when(v != "").then(v))


def _nfkc_brackets(e: pl.Expr) -> pl.Expr:
    return e.str.normalize("NFKC").str.replace_many(_BRACKETS)


def clean_text(e: pl.Expr) -> pl.Expr:
    """NFKC, brackets unified to (), whitespace trimmed and inner runs collapsed to one space.

    Whitespace includes U+3000, NBSP and zero-width characters; an empty result is null.
    """
    collapsed = _nfkc_brackets(e).str.replace_all(WHITESPACE_RUN, " ").str.strip_chars(" ")
    return null_if_empty(collapsed)


def squeeze_text(e: pl.Expr) -> pl.Expr:
    """NFKC, brackets unified to (), every whitespace character removed; empty → null."""
    return squeeze_clean(clean_text(e))


def squeeze_clean(clean: pl.Expr) -> pl.Expr:
    """`squeeze_text` of a `clean_text` result without cleaning it again.

    Clean text is NFKC with single spaces as its only whitespace and never empty, so removing
    the spaces and recomposing is all that is left; nothing non-empty becomes empty.
    """
    return recompose(clean.str.replace_all(" ", "", literal=True))


def recompose(e: pl.Expr) -> pl.Expr:
    """NFKC again after removing characters: a removed space may have kept a combining mark
    from composing (“A´” → “A ́” → “Á”); this keeps the normalisers idempotent."""
    return e.str.normalize("NFKC")
