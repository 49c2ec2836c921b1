"""Stack the organization-describing extracts into one table of source records with match keys."""

from __future__ import annotations

import polars as pl

from liangxin.engine.normalize.codes import code_is_valid
from liangxin.engine.normalize.names import (
    infer_region_prefixes,
    name_key,
    name_parts,
    region_aliases,
    region_words,
)
from liangxin.engine.schema import ORG_KINDS, Kind

# A sheet or file named after a 镇街 tells the town of every row in it (one sheet per 镇街).
TOWN_PATTERN = r"([\p{Han}]{1,8}?(?:街道办事处|街道|镇|乡))"


def stack_records(records: dict[Kind, pl.DataFrame]) -> pl.DataFrame:
    """One row per accepted source row of a registry, social_org, tax, insurance or survey extract."""
    frames = [
        records[kind].with_columns(source_kind=pl.lit(kind.value))
        for kind in ORG_KINDS
        if kind in records
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


def add_match_keys(
    stacked: pl.DataFrame, region: tuple[list[str], list[str]] | None = None
) -> tuple[pl.DataFrame, list[str], list[str]]:
    """Code validity, the name keys and parts (region, core, form: ``name_parts``) and the
    town each row states or implies by its sheet/file.

    ``name_key`` drops the region prefixes most names of the county carry (临沭县, 临沭);
    ``match_key`` also drops other region words (山东, 临沂市, 华泰(临沂)商贸) where what is left
    is the name key of another record: the two names are otherwise identical.
    Returns (keyed records, the county's region prefixes, every region word seen); ``region``
    gives both instead of inferring them from the names.
    """
    names = stacked["name"].drop_nulls()
    prefixes, words = region or (infer_region_prefixes(names), region_words(names))
    sheet_town = pl.col("source_sheet").str.extract(f"^{TOWN_PATTERN}$", 1)
    file_town = pl.col("source_file").str.extract(f"^{TOWN_PATTERN}", 1)
    keyed = stacked.with_columns(
        code_valid=code_is_valid(pl.col("credit_code")),
        name_key=name_key(pl.col("name"), prefixes),
        full_key=name_key(pl.col("name")),
        town_stated=pl.coalesce(pl.col("town"), sheet_town, file_town),
    )
    towns = known_towns(keyed)
    parts = name_parts(keyed["full_key"], words, towns)
    keyed = keyed.join(parts, on="full_key", how="left", maintain_order="left")
    canonical = canonical_keys(keyed["name_key"], words)
    keyed = keyed.join(canonical, on="name_key", how="left", maintain_order="left").with_columns(
        match_key=pl.coalesce("match_key", "name_key"),
        name_forms=pl.col("name_forms").fill_null([]),
    )
    return keyed, prefixes, words


def known_towns(keyed: pl.DataFrame) -> list[str]:
    """The 镇街 the records state (蛟龙镇, 临沭街道), sorted."""
    stated = keyed.select(pl.col("town_stated").drop_nulls().unique())
    return sorted(
        stated.filter(pl.col("town_stated").str.contains(f"^{TOWN_PATTERN}$"))["town_stated"]
    )


def canonical_keys(keys: pl.Series, words: list[str]) -> pl.DataFrame:
    """(name_key, match_key, name_forms): per key, its forms without region words
    (``region_aliases``) and the shortest of them that is itself one of the keys (山东临沂华泰商贸
    → 华泰商贸 when 华泰商贸 occurs, else → 临沂华泰商贸 when that occurs), or the key itself.
    Every form of a key is also a form of the longer keys it is a form of, so all spellings of
    one name meet at the same match key."""
    distinct = (
        pl.DataFrame({"name_key": keys})
        .drop_nulls()
        .unique()
        .with_columns(name_forms=region_aliases(pl.col("name_key"), words))
    )
    existing = (
        distinct.select("name_key", match_key="name_forms")
        .explode("match_key")
        .join(distinct.select(match_key="name_key"), on="match_key", how="semi")
        .sort(pl.col("match_key").str.len_chars(), "match_key")
        .unique("name_key", keep="first")
    )
    return distinct.join(existing, on="name_key", how="left").with_columns(
        match_key=pl.coalesce("match_key", "name_key")
    )
