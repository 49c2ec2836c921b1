"""Find known names close to a query name, by character similarity within shared blocks.

Blocking keeps the comparisons near-linear: two names are compared only when they share a
character bigram near the start (the 字号), and bigrams shared by very many names are ignored.
rapidfuzz compares Python strings, i.e. characters, as Chinese names need.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz import fuzz, process

REVIEW_SIMILARITY = 85.0  # percent; below this two names are simply different organizations
BLOCK_PREFIX_CHARS = 6  # bigrams from the 字号 and the start of the industry word
MAX_BLOCK = 2000  # a bigram shared by more names than this says nothing (“商贸”, “科技”)

CLOSE_SCHEMA = {"query": pl.String, "org_id": pl.String, "similarity": pl.Float64}


def _blocks(frame: pl.DataFrame) -> pl.DataFrame:
    head = pl.col("name_key").str.slice(0, BLOCK_PREFIX_CHARS)
    starts = pl.int_ranges(0, (head.str.len_chars() - 1).clip(lower_bound=1))
    return (
        frame.with_columns(start=starts)
        .explode("start")
        .with_columns(block=head.str.slice(pl.col("start"), 2))
        .drop("start")
    )


def close_names(queries: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """queries(query, name_key) × known(name_key, org_id) → (query, org_id, similarity ≥ threshold).

    Identical keys are left to the exact join that runs before this; here they score 100.
    """
    if queries.is_empty() or known.is_empty():
        return pl.DataFrame(schema=CLOSE_SCHEMA)
    known_blocks = (
        _blocks(known)
        .rename({"name_key": "candidate_key"})
        .filter(pl.len().over("block") <= MAX_BLOCK)
    )
    pairs = (
        _blocks(queries.select("query", "name_key"))
        .join(known_blocks, on="block")
        .unique(["query", "org_id"])
        .sort("query", "org_id")
    )
    if pairs.is_empty():
        return pl.DataFrame(schema=CLOSE_SCHEMA)
    scores = process.cpdist(
        pairs["name_key"].to_list(), pairs["candidate_key"].to_list(), scorer=fuzz.ratio, workers=-1
    )
    return (
        pairs.with_columns(similarity=pl.Series(scores, dtype=pl.Float64).round(1))
        .filter(pl.col("similarity") >= REVIEW_SIMILARITY)
        .select("query", "org_id", "similarity")
    )
