"""Parsers for cells as officials type them: counts, money, dates, booleans (SPEC §3).

Every parser takes a string expression and returns a typed one; empty or whitespace-only
cells and cells that cannot be parsed both give null — `parse_failed` tells them apart.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import polars as pl

from liangxin.engine.normalize.text import clean_text, squeeze_text

# --- counts ---------------------------------------------------------------------------------

_INTEGER = r"(\d{1,3}(?:,\d{3})+|\d+)"  # well-formed thousands grouping only: "12,00" fails
_COUNT = rf"^(?:约|大约|共|计)?{_INTEGER}(?:\.0+)?(?:人|名|个|家|位|户)?$"


def parse_count(e: pl.Expr) -> pl.Expr:
    """A non-negative whole number of people or units → Int64.

    Accepts “35”, “35人”, “３５ 人”, “35.0”, “1,200”, “约35人”; a negative or fractional
    number, or any other text, gives null.
    """
    digits = squeeze_text(e).str.extract(_COUNT, 1).str.replace_all(",", "")
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
    parts = squeeze_text(e).str.extract_groups(_MONEY)
    amount = parts.struct[0].str.replace_all(",", "").cast(pl.Float64, strict=False)
    exponent = (
        parts.struct[1]
        .replace_strict(_UNIT_EXPONENT, default=None, return_dtype=pl.Int64)
        .fill_null(_header_exponent(header_unit))
    )
    # Multiply or divide by an exact power of ten: 1.2 * 10**4 rather than 1.2 / 0.0001.
    scale = pl.lit(10.0).pow(exponent.abs())
    wan = pl.when(exponent >= 0).then(amount * scale).otherwise(amount / scale)
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
    parts = text.str.extract_groups(pattern)
    iso = pl.concat_str(
        parts.struct[0], parts.struct[1].str.zfill(2), parts.struct[2].str.zfill(2), separator="-"
    )
    return iso.str.to_date("%Y-%m-%d", strict=False)


def _serial_date(text: pl.Expr) -> pl.Expr:
    serial = text.str.extract(_SERIAL, 1).cast(pl.Int64, strict=False)
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
    text = clean_text(e).str.replace(_TIME_SUFFIX, "").str.replace_all(" ", "")
    parsed = pl.coalesce(_ymd_date(text, _YMD), _ymd_date(text, _COMPACT), _serial_date(text))
    return pl.when(parsed.is_between(EARLIEST_DATE, LATEST_DATE)).then(parsed)


# --- booleans -------------------------------------------------------------------------------

TRUE_TOKENS = ("是", "有", "对", "√", "✓", "✔", "Y", "YES", "TRUE", "1", "1.0")
FALSE_TOKENS = ("否", "无", "没有", "×", "✗", "✘", "N", "NO", "FALSE", "0", "0.0")
_BOOL = {t: True for t in TRUE_TOKENS} | {t: False for t in FALSE_TOKENS}


def parse_bool(e: pl.Expr) -> pl.Expr:
    """是/有/对/√/✓/✔/Y/YES/TRUE/1 → true, 否/无/没有/×/✗/✘/N/NO/FALSE/0 → false, else null.

    Case-insensitive, NFKC (full-width letters), surrounding and inner spaces ignored.
    """
    token = squeeze_text(e).str.to_uppercase()
    return token.replace_strict(_BOOL, default=None, return_dtype=pl.Boolean)


# --- failures -------------------------------------------------------------------------------


def parse_failed(raw: pl.Expr, parsed: pl.Expr) -> pl.Expr:
    """True where the raw cell has content but the parser gave null (a data problem)."""
    return squeeze_text(raw).is_not_null() & parsed.is_null()
