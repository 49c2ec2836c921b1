"""Near strings by blocking on one-character deletions, then exact scoring with rapidfuzz.

Two strings one edit apart (a character replaced, added, dropped, or two neighbours swapped)
share a form with one character deleted (the “deletion neighbourhood”): 华泰商贸 and 华秦商贸
both give 华商贸. Joining on these forms finds every such pair with work proportional to the
number of strings times their length, plus the number of near pairs actually present; it never
compares a name with the thousands of others that merely share a word like 商贸 or 科技.
Forms shared by very many strings (MAX_BLOCK) say nothing and are dropped.

rapidfuzz compares Python strings, i.e. characters, as Chinese names need.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

REVIEW_SIMILARITY = 85.0  # percent; below this two names are simply different organizations
MIN_FUZZY_CHARS = 4  # shorter names are too short for “one character apart” to mean anything
MAX_BLOCK = 500  # a deletion form shared by more strings than this is not evidence
PREFIX_CHARS = 3  # prefixes that select the texts of a pass (see ``_forms``)

CLOSE_SCHEMA = {
    "query": pl.String,
    "org_id": pl.String,
    "similarity": pl.Float64,
    "distance": pl.Int64,
}
PAIR_SCHEMA = {"query": pl.String, "text": pl.String, "org_id": pl.String, "candidate": pl.String}


def _forms(frame: pl.DataFrame, id_column: str, text_column: str, keep=None) -> pl.DataFrame:
    """(id, text, form): the text itself and each of its one-deletion forms; with ``keep``
    (a Series of forms), only the forms in it. One pass per character position keeps the
    memory at the size of the frame, not times the length of its strings; each pass takes only
    the texts longer than its position (the frame sorted by length), so one long outlier does
    not make every pass read every row. With ``keep``, a pass also takes only the texts whose
    first characters begin some kept form: deleting the character at ``position`` leaves the
    first ``position`` characters in place."""
    text = pl.col(text_column)
    base = (
        frame.select(id_column, text_column)
        .unique()
        .drop_nulls()
        .with_columns(_chars=text.str.len_chars())
        .sort("_chars", descending=True)
    )
    ascending = np.sort(base["_chars"].to_numpy())
    kept = pl.col("form").is_in(keep.implode()) if keep is not None else pl.lit(True)
    prefixes = _prefixes(keep) if keep is not None else None
    parts = [base.select(id_column, text_column, form=text).filter(kept)]
    for position in range(int(ascending[-1]) if len(ascending) else 0):
        longer = len(ascending) - int(np.searchsorted(ascending, position, side="right"))
        texts = base.head(longer)
        chars = min(position, PREFIX_CHARS)
        if prefixes is not None and chars:
            texts = texts.filter(text.str.slice(0, chars).is_in(prefixes[chars]))
        form = text.str.slice(0, position) + text.str.slice(position + 1)
        parts.append(texts.select(id_column, text_column, form=form).filter(kept))
    return pl.concat(parts).unique()


def _prefixes(keep: pl.Series) -> dict[int, pl.Series]:
    """chars → the first ``chars`` characters of every kept form, as an ``is_in`` argument."""
    return {
        chars: keep.str.slice(0, chars).unique().implode() for chars in range(1, PREFIX_CHARS + 1)
    }


def near_pairs(
    queries: pl.DataFrame, known: pl.DataFrame, min_chars: int = MIN_FUZZY_CHARS
) -> pl.DataFrame:
    """queries(query, text) × known(org_id, candidate) → the pairs whose texts are at most one
    edit apart (plus a few two apart), before scoring: (query, text, org_id, candidate)."""
    queries = queries.filter(pl.col("text").str.len_chars() >= min_chars)
    known = known.filter(pl.col("candidate").str.len_chars() >= min_chars)
    if queries.is_empty() or known.is_empty():
        return pl.DataFrame(schema=PAIR_SCHEMA)
    query_forms = _forms(queries, "query", "text")
    known_forms = _forms(known, "org_id", "candidate", keep=query_forms["form"].unique())
    known_forms = known_forms.filter(pl.len().over("form") <= MAX_BLOCK)
    return (
        query_forms.join(known_forms, on="form")
        .select("query", "text", "org_id", "candidate")
        .unique()
        .sort("query", "org_id", "candidate")
    )


def score_pairs(pairs: pl.DataFrame) -> pl.DataFrame:
    """similarity (rapidfuzz ratio, percent) and distance (edits, a swap counting one)."""
    if pairs.is_empty():
        return pairs.with_columns(
            similarity=pl.lit(None, dtype=pl.Float64), distance=pl.lit(None, dtype=pl.Int64)
        )
    texts, candidates = pairs["text"].to_list(), pairs["candidate"].to_list()
    similarity = process.cpdist(texts, candidates, scorer=fuzz.ratio, workers=-1)
    distance = process.cpdist(texts, candidates, scorer=OSA.distance, workers=-1)
    return pairs.with_columns(
        similarity=pl.Series(similarity, dtype=pl.Float64).round(1),
        distance=pl.Series(distance, dtype=pl.Int64),
    )


def one_slip_apart(queries: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """queries(query, text) × known(org_id, candidate) → (query, org_id) whose texts are
    exactly one edit apart (a character replaced, added, dropped, two swapped), however short
    a share of the text that is (华泰商贸 and 华太商贸), at least MIN_FUZZY_CHARS long."""
    pairs = near_pairs(queries.drop_nulls(), known.drop_nulls())
    return score_pairs(pairs).filter(pl.col("distance") == 1).select("query", "org_id").unique()


def close_names(
    queries: pl.DataFrame,
    known: pl.DataFrame,
    stats: dict[str, int] | None = None,
    label: str = "close_name_candidates",
) -> pl.DataFrame:
    """queries(query, name_key) × known(name_key, org_id) → (query, org_id, similarity,
    distance) for the names one edit apart that are at least REVIEW_SIMILARITY similar; per
    (query, org_id) the closest of the org's names.

    Identical keys are left to the exact join that runs before this; here they score 100.
    With ``stats``, the number of candidate pairs the blocking produced is added under ``label``.
    """
    pairs = near_pairs(
        queries.select("query", text="name_key"),
        known.select("org_id", candidate="name_key"),
    )
    if stats is not None:
        stats[label] = stats.get(label, 0) + pairs.height
    if pairs.is_empty():
        return pl.DataFrame(schema=CLOSE_SCHEMA)
    return (
        score_pairs(pairs)
        .filter((pl.col("similarity") >= REVIEW_SIMILARITY) & (pl.col("distance") <= 1))
        .sort("similarity", descending=True)
        .unique(["query", "org_id"], keep="first")
        .select(CLOSE_SCHEMA.keys())
        .sort("query", "org_id")
    )
