"""Source rows between the database and the engine's polars frames.

The engine's intake turns files into one frame of canonical records per source kind; the
database keeps those rows (``SourceRecord.values``). ``to_frames`` rebuilds the very frames the
intake produced, so running the engine on stored rows gives what ``liangxin build`` gives on
the files.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import polars as pl

from liangxin.engine.records import SOURCE_COLUMNS, record_schema
from liangxin.engine.schema import Kind
from liangxin.web.sources.keys import record_key


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def frame_rows(kind: Kind, frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows of an intake frame as stored: {key, kind, file, sheet, row, values}."""
    fields = [c for c in record_schema(kind) if c not in SOURCE_COLUMNS]
    rows = []
    for row in frame.to_dicts():
        rows.append(
            {
                "key": record_key(row["source_file"], row["source_sheet"], row["source_row"]),
                "kind": kind.value,
                "source_file": row["source_file"],
                "source_sheet": row["source_sheet"] or "",
                "source_row": row["source_row"],
                "values": {f: _value(row.get(f)) for f in fields if row.get(f) is not None},
            }
        )
    return rows


def conform(kind: Kind, frame: pl.DataFrame) -> pl.DataFrame:
    """An intake frame as ``to_frames`` would rebuild it from its stored rows (the sheet of a
    CSV is stored as ``""``), without going through the rows."""
    schema = record_schema(kind)
    return frame.select(
        pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c)
        for c, t in schema.items()
    ).with_columns(pl.col("source_sheet").fill_null(""))


def to_frames(rows: Iterable[dict[str, Any]]) -> dict[Kind, pl.DataFrame]:
    """Stored rows → one frame per kind, typed exactly as the intake types them."""
    by_kind: dict[Kind, list[dict[str, Any]]] = {}
    for row in rows:
        flat = {
            "source_file": row["source_file"],
            "source_sheet": row["source_sheet"],
            "source_row": row["source_row"],
        }
        flat.update(row["values"])
        by_kind.setdefault(Kind(row["kind"]), []).append(flat)
    frames = {}
    for kind, kind_rows in by_kind.items():
        schema = record_schema(kind)
        text_schema = {c: (pl.String if t == pl.Date else t) for c, t in schema.items()}
        frame = pl.DataFrame(kind_rows, schema=text_schema, strict=False)
        dates = [c for c, t in schema.items() if t == pl.Date]
        frames[kind] = frame.with_columns(pl.col(c).str.to_date("%Y-%m-%d") for c in dates)
    return frames
