"""Text cleaning shared by all normalisers: NFKC, whitespace and bracket style (SPEC §3)."""

from __future__ import annotations

import polars as pl

# Contents of a regex character class for what counts as whitespace: Unicode whitespace plus
# control and format characters (zero-width space, BOM, soft hyphen) that exports carry.
WHITESPACE_CHARS = r"\s\p{Cc}\p{Cf}"
WHITESPACE_RUN = f"[{WHITESPACE_CHARS}]+"

# After NFKC, （） and ［］ are already ASCII; the remaining bracket styles map to ().
_BRACKETS = {"【": "(", "〔": "(", "[": "(", "】": ")", "〕": ")", "]": ")"}


def null_if_empty(e: pl.Expr) -> pl.Expr:
    """Empty strings become null."""
    return pl.when(e != "").then(e)


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
    squeezed = _nfkc_brackets(e).str.replace_all(WHITESPACE_RUN, "")
    return null_if_empty(recompose(squeezed))


def recompose(e: pl.Expr) -> pl.Expr:
    """NFKC again after removing characters: a removed space may have kept a combining mark
    from composing (“A´” → “A ́” → “Á”); this keeps the normalisers idempotent."""
    return e.str.normalize("NFKC")
