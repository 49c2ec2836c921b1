"""Link source records into master organizations (SPEC §4).

1. Records with the same valid credit code are one organization.
2. A record without a valid code joins the code group whose records carry the same name key;
   where several groups share the key, the stated town decides, else a person must.
3. Records left over form organizations of their own, one per name key.
4. Each leftover organization is compared by character similarity with the known names that
   share a blocking bigram; a close name goes to the review list and is never merged silently.
"""

from __future__ import annotations

import hashlib

import polars as pl

from liangxin.engine.reconcile.similar import close_names

REVIEW_SCHEMA = {
    "rec_id": pl.UInt32,
    "candidate_org_id": pl.String,
    "similarity": pl.Float64,
    "reason": pl.String,
}


def link_records(keyed: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(links: rec_id → org_id, review: rec_id, candidate_org_id, similarity, reason)."""
    anchors = keyed.filter(pl.col("code_valid"))
    anchor_names = _anchor_names(anchors)
    codeless = keyed.filter(~pl.col("code_valid"))

    by_name, ambiguous = _join_on_name_key(codeless, anchor_names)
    leftover = codeless.join(by_name.select("rec_id"), on="rec_id", how="anti")
    leftover_orgs = _own_organizations(leftover)
    links = pl.concat(
        [
            anchors.select("rec_id", org_id=pl.col("credit_code")),
            by_name.select("rec_id", "org_id"),
            leftover_orgs.select("rec_id", "org_id"),
        ]
    ).sort("rec_id")

    review = pl.concat(
        [
            ambiguous,
            _same_name_other_code(anchors, anchor_names),
            _similar_names(leftover_orgs, anchor_names),
        ]
    )
    return links, review.unique(["rec_id", "candidate_org_id"], keep="first").sort("rec_id")


def _anchor_names(anchors: pl.DataFrame) -> pl.DataFrame:
    """Distinct (name_key, org_id, town) of the code groups; town is the group's first stated."""
    town = anchors.group_by("credit_code").agg(
        pl.col("town_stated").drop_nulls().first().alias("org_town")
    )
    return (
        anchors.filter(pl.col("name_key").is_not_null())
        .select("name_key", org_id=pl.col("credit_code"))
        .unique()
        .join(town.rename({"credit_code": "org_id"}), on="org_id", how="left")
    )


def _join_on_name_key(
    codeless: pl.DataFrame, anchor_names: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    candidates = codeless.select("rec_id", "name_key", "town_stated").join(
        anchor_names, on="name_key", how="inner"
    )
    counted = candidates.with_columns(
        n=pl.len().over("rec_id"),
        n_town=(pl.col("org_town") == pl.col("town_stated")).fill_null(False).sum().over("rec_id"),
    )
    unique = counted.filter(pl.col("n") == 1)
    by_town = counted.filter(
        (pl.col("n") > 1) & (pl.col("n_town") == 1) & (pl.col("org_town") == pl.col("town_stated"))
    )
    undecided = counted.filter((pl.col("n") > 1) & (pl.col("n_town") != 1))
    ambiguous = undecided.select(
        "rec_id",
        candidate_org_id=pl.col("org_id"),
        similarity=pl.lit(100.0),
        reason=pl.lit("名称与多个单位相同，无法按镇街区分"),
    )
    return pl.concat([unique, by_town]).select("rec_id", "org_id"), ambiguous


def _own_organizations(leftover: pl.DataFrame) -> pl.DataFrame:
    """Leftovers form organizations keyed by name, or by their (invalid) code when nameless."""
    identity = pl.when(pl.col("name_key").is_not_null()).then(pl.lit("名称:") + pl.col("name_key"))
    identity = identity.otherwise(pl.lit("代码:") + pl.col("credit_code"))
    keys = leftover.select("rec_id", "name_key", "credit_code", identity=identity)
    ids = (
        keys.select("identity")
        .unique()
        .with_columns(org_id=pl.col("identity").map_elements(_stable_id, return_dtype=pl.String))
    )
    return keys.join(ids, on="identity", how="left")


def _stable_id(identity: str) -> str:
    """An org id that stays the same from one build to the next (orgs without a valid code)."""
    return "N" + hashlib.sha1(identity.encode("utf-8")).hexdigest()[:17].upper()


def _same_name_other_code(anchors: pl.DataFrame, anchor_names: pl.DataFrame) -> pl.DataFrame:
    shared = anchor_names.filter(pl.len().over("name_key") > 1)
    pairs = anchors.select("rec_id", "name_key", own=pl.col("credit_code")).join(
        shared, on="name_key"
    )
    return pairs.filter(pl.col("org_id") != pl.col("own")).select(
        "rec_id",
        candidate_org_id=pl.col("org_id"),
        similarity=pl.lit(100.0),
        reason=pl.lit("名称相同但统一社会信用代码不同，请核实是否为同一单位"),
    )


def _similar_names(leftover_orgs: pl.DataFrame, anchor_names: pl.DataFrame) -> pl.DataFrame:
    """Leftover organizations whose name is close to another organization's: ask a person."""
    queries = (
        leftover_orgs.filter(pl.col("name_key").is_not_null())
        .select("name_key", query=pl.col("org_id"))
        .unique()
    )
    known = pl.concat(
        [anchor_names.select("name_key", "org_id"), queries.select("name_key", org_id="query")]
    )
    close = close_names(queries, known.unique()).filter(pl.col("org_id") != pl.col("query"))
    return (
        leftover_orgs.select("rec_id", query=pl.col("org_id"))
        .join(close, on="query")
        .select(
            "rec_id",
            candidate_org_id=pl.col("org_id"),
            similarity="similarity",
            reason=pl.format("名称相近（相似度{}%），未自动合并", pl.col("similarity")),
        )
    )
