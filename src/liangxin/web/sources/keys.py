"""A source row's key, ``file|sheet|row``: how match decisions, previews and the stored rows
name one row of one department file. One definition, in its three forms."""

from __future__ import annotations

import polars as pl

SEPARATOR = "|"


def record_key(file: str, sheet: str | None, row: int) -> str:
    return f"{file}{SEPARATOR}{sheet or ''}{SEPARATOR}{row}"


def record_key_expr() -> pl.Expr:
    """``record_key`` over a frame's ``source_file``, ``source_sheet``, ``source_row``."""
    return pl.concat_str(
        pl.col("source_file"),
        pl.col("source_sheet").fill_null(""),
        pl.col("source_row").cast(pl.String),
        separator=SEPARATOR,
    )


def parse_record_key(key: str) -> tuple[str, str, int]:
    """File, sheet ("" when the file has none) and row of a key (a file name may hold "|")."""
    file, sheet, row = key.rsplit(SEPARATOR, 2)
    return file, sheet, int(row)
