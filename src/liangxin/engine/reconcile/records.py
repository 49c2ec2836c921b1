"""Stack the organization-describing extracts into one table of source records with match keys."""

from __future__ import annotations

import polars as pl

from liangxin.engine.normalize.codes import code_is_valid
from liangxin.engine.normalize.names import infer_region_prefixes, name_key
from liangxin.engine.schema import ORG_KINDS, Kind

# A sheet or file named after a 镇街 tells the town of every row in it (one sheet per 镇街).
TOWN_PATTERN = r"([\p{Han}]{1,8}?(?:街道办事处|街道|镇|乡))"


def stack_records(records: dict[Kind, pl.DataFrame]) -> pl.DataFrame:
    """One row per accepted source row of a registry, social_org, tax, insurance or survey extract."""
    frames = [
        records[kind].with_columns(source_kind=pl.lit(kind.value))
        for kind in ORG_KINDS
        if kind in records and records[kind].height
    ]
    if not frames:
        return pl.DataFrame(
            schema={
                "rec_id": pl.UInt32,
                "source_kind": pl.String,
                "source_file": pl.String,
                "source_sheet": pl.String,
                "source_row": pl.Int64,
                "credit_code": pl.String,
                "name": pl.String,
                "town": pl.String,
            }
        )
    stacked = pl.concat(frames, how="diagonal_relaxed")
    for column in ("credit_code", "name", "town", "address", "legal_rep"):
        if column not in stacked.columns:
            stacked = stacked.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    return stacked.sort("source_file", "source_sheet", "source_row").with_row_index("rec_id")


def add_match_keys(stacked: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Code validity, the name key and the town each row states or implies by its sheet/file."""
    prefixes = infer_region_prefixes(stacked["name"].drop_nulls())
    sheet_town = pl.col("source_sheet").str.extract(f"^{TOWN_PATTERN}$", 1)
    file_town = pl.col("source_file").str.extract(f"^{TOWN_PATTERN}", 1)
    keyed = stacked.with_columns(
        code_valid=code_is_valid(pl.col("credit_code")),
        name_key=name_key(pl.col("name"), prefixes),
        town_stated=pl.coalesce(pl.col("town"), sheet_town, file_town),
    )
    return keyed, prefixes
