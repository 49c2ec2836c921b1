"""Parsers for cells as officials type them: counts, money, dates, booleans (docs/rules.md §R3.3).

Every parser takes a string expression and returns a typed one; empty or whitespace-only
cells and cells that cannot be parsed both give null — `parse_failed` tells them apart. Each
`parse_x` is `x_from_clean` of `clean_text`; intake, which keeps the cleaned cell anyway, calls
the `_from_clean` forms so that no cell is cleaned twice.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import polars as pl

from liangxin.engine.normalize.text import clean_text, let, squeeze_clean

# --- counts ---------------------------------------------------------------------------------

_INTEGER = r"(\d{1,3}(?:,\d{3})+|\d+)"  # well-formed thousands grouping only: "12,00" fails
_COUNT = rf"^(?:约|大约|共|计)?{_INTEGER}(?:\.0+)?(?:人|名|个|家|位|户)?$"


def parse_count(e: pl.Expr) -> pl.Expr:
    """A non-negative whole number of people or units → Int64.

    Accepts “35”, “35人”, “３５ 人”, “35.0”, “1,200”, “约35人”; a negative or fractional
    number, or any other text, gives null.
    """
    return count_from_clean(clean_text(e))


def count_from_clean(clean: pl.Expr) -> pl.Expr:
    """`parse_count` of a `clean_text` result."""
    digits = squeeze_clean(clean).str.extract(_COUNT, 1).str.replace_all(",", "")
    return digits.cast(pl.Int64, strict=False)


# --- money ----------------------------------------------------------------------------------

# Power of ten that turns an amount in the unit into 万元.
_UNIT_EXPONENT = {"元": -4, "千元": -1, "万": 0, "万元": 0, "亿": 4, "亿元": 4}
_UNIT = "|".join(sorted(_UNIT_EXPONENT, key=len, reverse=True))
_MONEY = (
    rf"^(?:约)?(?:¥)?([-+]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?)({_UNIT})?$"
)


def _header_exponent(header_unit: str | None) -> int:
    if header_unit is None:
        return 0
    unit = "".join(unicodedata.normalize("NFKC", header_unit).split()).strip("()")
    if unit not in _UNIT_EXPONENT:
        raise ValueError(f"无法识别的金额单位：{header_unit}")
    return _UNIT_EXPONENT[unit]


def parse_money_wan(e: pl.Expr, header_unit: str | None = None) -> pl.Expr:
    """An amount → Float64 in 万元.

    A unit in the cell (元, 千元, 万/万元, 亿/亿元) wins over `header_unit`; a bare number is in
    `header_unit` (None means 万元). Accepts thousands separators, “¥”, “约” and exponents
    (“2.35E+07”). Raises ValueError for an unknown `header_unit`.
    """
    return money_from_clean(clean_text(e), header_unit)


def money_from_clean(clean: pl.Expr, header_unit: str | None = None) -> pl.Expr:
    """`parse_money_wan` of a `clean_text` result."""
    default_exponent = _header_exponent(header_unit)
    parts = squeeze_clean(clean).str.extract_groups(_MONEY)
    return let(let(parts, lambda p: _wan(p, default_exponent)), _finite)


def _wan(parts: pl.Expr, default_exponent: int) -> pl.Expr:
    # extract_groups names the groups "1", "2"; see `_iso_date`.
    amount = parts.struct.field("1").str.replace_all(",", "").cast(pl.Float64, strict=False)
    exponent = (
        parts.struct.field("2")
        .replace_strict(_UNIT_EXPONENT, default=None, return_dtype=pl.Int64)
        .fill_null(default_exponent)
    )
    # Multiply or divide by an exact power of ten: 1.2 * 10**4 rather than 1.2 / 0.0001.
    scale = pl.lit(10.0).pow(exponent.abs())
    return pl.when(exponent >= 0).then(amount * scale).otherwise(amount / scale)


def _finite(wan: pl.Expr) -> pl.Expr:
    return pl.when(wan.is_finite()).then(wan)


# --- dates ----------------------------------------------------------------------------------

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_TIME_SUFFIX = r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$"
_YMD = r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
_SERIAL = r"^(\d{1,7})(?:\.\d+)?$"
# Excel's 1900 system: serial 1 is 1900-01-01, 60 the non-existent 1900-02-29, 61 1900-03-01.
_SERIAL_OF_1970 = 25569  # serial of 1970-01-01 (day 0 of pl.Date) for serials ≥ 61
_SERIAL_LEAP_BUG = 60


def _ymd_date(text: pl.Expr, pattern: str) -> pl.Expr:
    return let(text.str.extract_groups(pattern), _iso_date)


def _iso_date(parts: pl.Expr) -> pl.Expr:
    # Groups by name: an index (`struct[0]`) does not resolve on a field read inside `let`.
    iso = pl.concat_str(
        parts.struct.field("1"),
        parts.struct.field("2").str.zfill(2),
        parts.struct.field("3").str.zfill(2),
        separator="-",
    )
    return iso.str.to_date("%Y-%m-%d", strict=False)


def _serial_date(text: pl.Expr) -> pl.Expr:
    return let(text.str.extract(_SERIAL, 1).cast(pl.Int64, strict=False), _serial_days)


def _serial_days(serial: pl.Expr) -> pl.Expr:
    days = (
        pl.when(serial > _SERIAL_LEAP_BUG)
        .then(serial - _SERIAL_OF_1970)
        .when(serial.is_between(1, _SERIAL_LEAP_BUG - 1))
        .then(serial - _SERIAL_OF_1970 + 1)
    )
    # A bare 4-digit number such as “2019” is a year typed alone, not serial 2019 (1905-07-11).
    looks_like_year = serial.is_between(EARLIEST_DATE.year, LATEST_DATE.year)
    return pl.when(~looks_like_year).then(days.cast(pl.Int32).cast(pl.Date))


def parse_date(e: pl.Expr) -> pl.Expr:
    """A date → Date; null when invalid (2019-02-30) or outside 1900-01-01 … 2100-12-31.

    Accepts “2019-03-05”, “2019-03-05 00:00:00”, “2019年3月5日”, “2019.3.5”, “2019/03/05”,
    “20190305”, full-width digits and Excel serials in the 1900 system (“43529”, “43529.0”; a
    time fraction is dropped). A bare number between 1900 and 2100 is taken for a year → null.
    """
    return date_from_clean(clean_text(e))


def date_from_clean(clean: pl.Expr) -> pl.Expr:
    """`parse_date` of a `clean_text` result."""
    text = clean.str.replace(_TIME_SUFFIX, "").str.replace_all(" ", "", literal=True)
    return let(let(text, _any_date), _in_range)


def _any_date(text: pl.Expr) -> pl.Expr:
    return pl.coalesce(_ymd_date(text, _YMD), _ymd_date(text, _COMPACT), _serial_date(text))


def _in_range(parsed: pl.Expr) -> pl.Expr:
    return pl.when(parsed.is_between(EARLIEST_DATE, LATEST_DATE)).then(parsed)


# --- booleans -------------------------------------------------------------------------------

TRUE_TOKENS = ("是", "有", "对", "√", "✓", "✔", "Y", "YES", "TRUE", "1", "1.0")
FALSE_TOKENS = ("否", "无", "没有", "×", "✗", "✘", "N", "NO", "FALSE", "0", "0.0")
_BOOL = {t: True for t in TRUE_TOKENS} | {t: False for t in FALSE_TOKENS}


def parse_bool(e: pl.Expr) -> pl.Expr:
    """是/有/对/√/✓/✔/Y/YES/TRUE/1 → true, 否/无/没有/×/✗/✘/N/NO/FALSE/0 → false, else null.

    Case-insensitive, NFKC (full-width letters), surrounding and inner spaces ignored.
    """
    return bool_from_clean(clean_text(e))


def bool_from_clean(clean: pl.Expr) -> pl.Expr:
    """`parse_bool` of a `clean_text` result."""
    token = squeeze_clean(clean).str.to_uppercase()
    return token.replace_strict(_BOOL, default=None, return_dtype=pl.Boolean)


# --- failures -------------------------------------------------------------------------------


def parse_failed(raw: pl.Expr, parsed: pl.Expr) -> pl.Expr:
    """True where the raw cell has content but the parser gave null (a data problem)."""
    return failed_from_clean(clean_text(raw), parsed)


def failed_from_clean(clean: pl.Expr, parsed: pl.Expr) -> pl.Expr:
    """`parse_failed` of a `clean_text` result: clean text is null exactly when it is empty."""
    return clean.is_not_null() & parsed.is_null()
