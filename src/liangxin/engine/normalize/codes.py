"""统一社会信用代码 (GB 32100-2015): normalisation, check digit, problems, kind (docs/rules.md §R4.1).

The check works on normalised codes (`normalize_code` output). Positions 1–17 may be any
character of the code alphabet, as the standard allows letters for the registering authority
(e.g. ``Y`` 其他, ``N`` 农业); `stdnum.cn.uscc` is stricter and wants digits in positions 1–8.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from liangxin.engine.normalize.text import WHITESPACE_CHARS, null_if_empty, recompose
from liangxin.engine.schema import CODE_PREFIX_KIND

CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_CHAR_VALUE = {c: i for i, c in enumerate(CODE_ALPHABET)}
_VALUE_CHAR = dict(enumerate(CODE_ALPHABET))
_WELL_FORMED = f"^[{CODE_ALPHABET}]{{18}}$"
_BODY_IN_ALPHABET = f"^[{CODE_ALPHABET}]{{17}}"
_WEIGHTS = pl.Series([list(CODE_WEIGHTS)], dtype=pl.List(pl.Int64))
_SEPARATORS = rf"[{WHITESPACE_CHARS}\-‐‑–—―_./]+"


def normalize_code(e: pl.Expr) -> pl.Expr:
    """NFKC, upper case, whitespace and separators (- — _ . /) removed; empty → null."""
    return code_from_clean(e.str.normalize("NFKC"))


def code_from_clean(clean: pl.Expr) -> pl.Expr:
    """`normalize_code` of NFKC text such as a `clean_text` result, without NFKC first."""
    upper = clean.str.to_uppercase()
    return null_if_empty(recompose(upper.str.replace_all(_SEPARATORS, "")))


def _expected_check_char(code: pl.Expr) -> pl.Expr:
    """The check character computed from positions 1–17; null when one is not in the alphabet.

    One list pass over the 17 characters: a per-position expression is 17 lookups whose
    planning costs more than the work on a sheet's few thousand codes.
    """
    # Padding keeps every list 17 long for the weights; short codes are null by the guard.
    chars = code.str.slice(0, 17).str.pad_end(17, "?").str.split("")
    values = chars.list.eval(
        pl.element().replace_strict(_CHAR_VALUE, default=None, return_dtype=pl.Int64)
    )
    total = (values * pl.lit(_WEIGHTS)).list.sum()
    check = (31 - total % 31) % 31
    return pl.when(code.str.contains(_BODY_IN_ALPHABET)).then(
        check.replace_strict(_VALUE_CHAR, default=None, return_dtype=pl.String)
    )


def code_is_valid(code: pl.Expr) -> pl.Expr:
    """True for an 18-character code from the alphabet with a correct check digit; null → false."""
    valid = code.str.contains(_WELL_FORMED) & (code.str.slice(17, 1) == _expected_check_char(code))
    return valid.fill_null(False)


def code_problem(code: pl.Expr) -> pl.Expr:
    """Why a (normalised, non-null) code is not valid, in Chinese; null when valid or missing."""
    length = code.str.len_chars()
    return (
        pl.when(code.is_null())
        .then(None)
        .when(length != 18)
        .then(pl.format("代码长度应为18位（实为{}位）", length))
        .when(~code.str.contains(_WELL_FORMED))
        .then(pl.lit("代码含非法字符"))
        .when(code.str.slice(17, 1) != _expected_check_char(code))
        .then(pl.lit("校验位错误"))
        .otherwise(None)
    )


def code_kind(code: pl.Expr) -> pl.Expr:
    """The kind told by the first two characters (`CODE_PREFIX_KIND`); null when unknown.

    Independent of validity: a code with a wrong check digit still reports its prefix's kind.
    """
    return code.str.slice(0, 2).replace_strict(
        CODE_PREFIX_KIND, default=None, return_dtype=pl.String
    )


# `_SEPARATORS` in Python's regex dialect (control and format characters by their ranges).
_SCALAR_SEPARATORS = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200f\u2060\ufeff\-‐‑–—―_./]+")


def is_valid_code(s: str | None) -> bool:
    """Scalar form of ``code_is_valid(normalize_code(...))`` for samples and small uses."""
    if not s:
        return False
    code = _SCALAR_SEPARATORS.sub("", unicodedata.normalize("NFKC", s).upper())
    if len(code) != 18 or any(c not in _CHAR_VALUE for c in code):
        return False
    total = sum(_CHAR_VALUE[c] * w for c, w in zip(code, CODE_WEIGHTS, strict=False))
    return code[17] == _VALUE_CHAR[(31 - total % 31) % 31]
