"""Worksheet cells as SpreadsheetML, built by Polars over whole columns (no Python loop per cell).

Text becomes an inline string (``t="inlineStr"``): it needs no table of shared strings held in
memory until the end, so a sheet streams in chunks of rows. On its way, text is made safe:
characters XML 1.0 forbids are dropped, then a value a spreadsheet would take for a formula gets a
leading apostrophe, then Excel's ``_xHHHH_`` escapes and XML's special characters are escaped.
Booleans show as 是/否, finite numbers as numbers, dates as serial numbers in the date style.
Every cell carries its reference (``r="B12"``): the format allows leaving it out, but many
readers other than Excel (Java, .NET and older Python libraries) then fail; a null has no cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import polars.selectors as cs

STYLE_TITLE, STYLE_HEAD, STYLE_DATE = 1, 2, 3  # cellXfs of xlsx_package.STYLES
ROW_NUMBER = "\0row"  # the column of a sheet's data holding each row's number (1-based)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_ILLEGAL_XML = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]"
_ILLEGAL_CHARS = [chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)]
_FORMULA_START = "^[" + "".join(f"\\x{{{ord(c):X}}}" for c in FORMULA_STARTS) + "]"
# Excel reads "_x0041_" in a string as "A"; "_x005F_" keeps such text literal.
_EXCEL_ESCAPE = r"_(x[0-9A-Fa-f]{4}_)"
_XML_SPACES = (" ", "\t", "\n", "\r")
# A literal carriage return would come back as a line feed (XML end-of-line handling).
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"}
_EXCEL_EPOCH_DAYS = 25568  # 1899-12-31 → 1970-01-01; Excel's day 1 is 1900-01-01
_EXCEL_LEAP_BUG = 59  # Excel counts a 1900-02-29, so later serials are one higher
# What follows a cell's reference up to its value.
_TEXT_OPEN = '" t="inlineStr"><is><t>'
_SPACED_TEXT_OPEN = '" t="inlineStr"><is><t xml:space="preserve">'  # keeps edge white space
_NUMBER_OPEN = '"><v>'
_DATE_OPEN = f'" s="{STYLE_DATE}"><v>'
_TEXT_CLOSE = "</t></is></c>"


def spreadsheet_text(text: str) -> str:
    """Text that a spreadsheet program will not take for a formula (formula injection): a
    value starting with = + - @ (or a tab or carriage return) gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def legal_xml(text: pl.Expr) -> pl.Expr:
    """Drop the control characters (but tab, line feed, carriage return) XML 1.0 forbids."""
    return text.str.replace_all(_ILLEGAL_XML, "")


def formula_safe(text: pl.Expr) -> pl.Expr:
    """`spreadsheet_text` over a column."""
    return (
        pl.when(text.str.contains(_FORMULA_START))
        .then(pl.concat_str(pl.lit("'"), text))
        .otherwise(text)
    )


def xml_escaped(text: pl.Expr, excel_escapes: bool = True) -> pl.Expr:
    if excel_escapes:
        text = text.str.replace_all(_EXCEL_ESCAPE, "_x005F_$1")
    return text.str.replace_many(_XML_ESCAPES)


@dataclass(frozen=True)
class _TextNeeds:
    """What a text column needs beyond formula and XML escaping; checked once per sheet, so
    the regular expressions are skipped where nothing would match."""

    illegal: bool = True  # control characters to drop
    excel_escapes: bool = True  # "_x" that might read as an Excel escape
    spaces: bool = True  # leading or trailing white space, to be kept


def cell_text(text: pl.Expr, needs: _TextNeeds | None = None) -> pl.Expr:
    """What goes between <t> and </t> for a text cell."""
    needs = needs or _TextNeeds()
    if needs.illegal:
        text = legal_xml(text)
    return xml_escaped(formula_safe(text), needs.excel_escapes)


def _text_needs(frame: pl.DataFrame, names: list[str]) -> dict[str, _TextNeeds]:
    """Checks that only yield booleans (no copy of the text)."""

    def checks(text: pl.Expr) -> tuple[pl.Expr, ...]:
        edges = [text.str.starts_with(w) | text.str.ends_with(w) for w in _XML_SPACES]
        return (
            text.str.contains_any(_ILLEGAL_CHARS).any(),
            text.str.contains("_x", literal=True).any(),
            pl.any_horizontal(edges).any(),
        )

    if not names:
        return {}
    found = frame.select(
        check.alias(f"{name}\0{k}")
        for name in names
        for k, check in enumerate(checks(pl.col(name).cast(pl.String)))
    ).row(0)
    needs = {}
    for i, name in enumerate(names):
        illegal, excel_escapes, spaces = found[3 * i : 3 * i + 3]
        # Dropping a control character may bare white space at an edge.
        needs[name] = _TextNeeds(illegal, excel_escapes, spaces or illegal)
    return needs


def header_texts(texts: list[str]) -> list[str]:
    """Titles and headers, made legal and escaped like cells (they are not formula-escaped)."""
    escaped = pl.Series("text", texts, dtype=pl.String).to_frame()
    return escaped.select(xml_escaped(legal_xml(pl.col("text"))))["text"].to_list()


def _date_serial(value: pl.Expr) -> pl.Expr:
    days = value.cast(pl.Int32) + _EXCEL_EPOCH_DAYS
    return pl.when(days > _EXCEL_LEAP_BUG).then(days + 1).otherwise(days).cast(pl.String)


def _is_text(dtype: pl.DataType) -> bool:
    return not (
        dtype in (pl.Null, pl.Boolean, pl.Date, pl.Datetime)
        or dtype.is_numeric()
        or dtype.is_nested()
        or dtype == pl.Object
    )


def _cell(value: pl.Expr, dtype: pl.DataType, needs: _TextNeeds | None) -> tuple[str, pl.Expr]:
    """(the cell's XML after its reference up to the value, the value)."""
    if dtype == pl.Boolean:
        return _TEXT_OPEN, pl.when(value).then(pl.lit("是")).when(~value).then(pl.lit("否"))
    if dtype.is_integer() or dtype.is_decimal():
        return _NUMBER_OPEN, value.cast(pl.String)
    if dtype.is_float():
        return _NUMBER_OPEN, pl.when(value.is_finite()).then(value.cast(pl.String))
    if dtype == pl.Date:
        return _DATE_OPEN, _date_serial(value)
    if dtype == pl.Datetime:
        return _DATE_OPEN, _date_serial(value.dt.date())
    if not _is_text(dtype):
        raise TypeError(f"cannot write a column of {dtype} into a worksheet")
    opening = _SPACED_TEXT_OPEN if needs is None or needs.spaces else _TEXT_OPEN
    return opening, cell_text(value.cast(pl.String), needs)


def row_xml(frame: pl.DataFrame) -> pl.Expr:
    """The <row> element of each row of ``frame``, numbered by its ROW_NUMBER column, with a
    referenced cell for each value that is not null. Built once for a sheet, then applied to one
    chunk of its rows at a time."""
    schema = {name: dtype for name, dtype in frame.schema.items() if name != ROW_NUMBER}
    texts = _text_needs(frame, [name for name, dtype in schema.items() if _is_text(dtype)])
    number = pl.col(ROW_NUMBER).cast(pl.String)
    cells = []
    for k, (name, dtype) in enumerate(schema.items()):
        if dtype == pl.Null:
            continue
        opening, value = _cell(pl.col(name), dtype, texts.get(name))
        closing = "</v></c>" if opening in (_NUMBER_OPEN, _DATE_OPEN) else _TEXT_CLOSE
        reference = pl.lit(f'<c r="{column_letter(k)}')
        cell = pl.concat_str(reference, number, pl.lit(opening), value, pl.lit(closing))
        cells.append(cell.fill_null(""))
    return pl.concat_str(pl.lit('<row r="'), number, pl.lit('">'), *cells, pl.lit("</row>")).alias(
        "row"
    )


def max_xml_bytes(frame: pl.DataFrame) -> int:
    """An upper bound of the XML of ``frame``'s rows (escaping at most sextuples text)."""
    per_row = 40 + 70 * frame.width  # the row number column counts like a cell
    texts = frame.select(
        cs.string(include_categorical=True).cast(pl.String).str.len_bytes().max().fill_null(0) * 6
    )
    per_row += sum(texts.row(0)) if texts.width else 0
    return per_row * frame.height
