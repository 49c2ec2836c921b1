"""The intake's records as every later step expects them: one frame per source kind, each with
every column of its schema, typed.

A county's first folder often holds one or two extracts (only the 市场主体 list, only the 社会组织
list); a file may bring only some of its kind's columns. The steps after intake read columns by
name, so a missing kind or column becomes an empty frame or a column of typed nulls here.
"""

from __future__ import annotations

import polars as pl

from liangxin.engine.schema import SCHEMAS, Kind, ValueType

SOURCE_COLUMNS = ("source_file", "source_sheet", "source_row")
_DTYPES: dict[ValueType, pl.DataType] = {
    ValueType.INT: pl.Int64(),
    ValueType.MONEY_WAN: pl.Float64(),
    ValueType.DATE: pl.Date(),
    ValueType.BOOL: pl.Boolean(),
}


def value_dtype(kind: ValueType) -> pl.DataType:
    """The Polars type of a parsed cell of this value type (lists stay the cell's text)."""
    return _DTYPES.get(kind, pl.String())


def record_schema(kind: Kind) -> dict[str, pl.DataType]:
    """The columns and types of one kind's records: source columns, then the schema's fields."""
    schema: dict[str, pl.DataType] = {
        "source_file": pl.String(),
        "source_sheet": pl.String(),
        "source_row": pl.Int64(),
    }
    for field in SCHEMAS[kind].fields:
        if field.name != "seq":
            schema[field.name] = value_dtype(field.type)
    return schema


def complete_records(records: dict[Kind, pl.DataFrame]) -> dict[Kind, pl.DataFrame]:
    """Every kind, every schema column: a kind no file brought is an empty frame, a column no
    header brought is typed nulls; columns beyond the schema are kept."""
    complete = {}
    for kind in Kind:
        schema = record_schema(kind)
        frame = records.get(kind, pl.DataFrame(schema=schema))
        complete[kind] = frame.with_columns(
            pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in schema.items()
            if name not in frame.columns
        ).with_columns(
            pl.col(name).cast(dtype)
            for name, dtype in schema.items()
            if name in frame.columns and frame.schema[name] == pl.Null
        )
    return complete
