"""Link source records into master organizations (docs/rules.md §R4.2).

1. Records with the same valid credit code are one organization (its id is the code). Two
   different valid codes are never merged.
2. A record without a valid code is matched to the code groups by name, most exact first:
   the same name key (spaces, width, brackets, 有限责任公司 ≡ 有限公司, the county's own
   prefix), else the same name once region words are taken off where the rest is another
   record's name (山东华泰商贸 ≡ 华泰商贸). Several groups with that name: a code one typing slip
   from one of them decides, else the stated 镇街, else a person.
3. No such name: a code one typing slip (one character replaced, added, dropped or two swapped)
   from a valid code links the record when the names are close as well; otherwise a person
   decides.
4. Still unmatched: a name one character away from a known one is linked only with
   corroboration — the same 镇街 and the same legal representative or address, and no other
   organization as close; without it the pair goes to the review list, never merged silently.
5. Records left over form organizations of their own, one per name; close names among them go
   to the review list too.

Every comparison runs on candidate pairs from exact joins or from the blocking in
``similar.py``, so the work grows with the number of records, not with its square.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import polars as pl

from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.reconcile.records import TOWN_PATTERN
from liangxin.engine.reconcile.similar import (
    REVIEW_SIMILARITY,
    close_names,
    near_pairs,
    score_pairs,
)

REVIEW_SCHEMA = {
    "rec_id": pl.UInt32,
    "candidate_org_id": pl.String,
    "similarity": pl.Float64,
    "reason": pl.String,
}
LINK_SCHEMA = {"rec_id": pl.UInt32, "org_id": pl.String}
MAX_REVIEW_CANDIDATES = 3  # a person compares a row with its few closest organizations

# name match levels, most exact first
SAME_KEY, SAME_WITHOUT_REGION = 1, 2


@dataclass
class Linked:
    links: pl.DataFrame  # rec_id → org_id
    review: pl.DataFrame  # rec_id, candidate_org_id, similarity, reason
    stats: dict[str, int] = field(default_factory=dict)  # candidate pairs per matching step


def link_records(keyed: pl.DataFrame) -> Linked:
    """Links every record to an org id; doubtful pairs go to the review list. ``keyed`` comes
    from ``add_match_keys`` (name_key, match_key, name_forms, code_valid, town_stated)."""
    stats: dict[str, int] = {}
    anchors = keyed.filter(pl.col("code_valid")).with_columns(org_id=pl.col("credit_code"))
    profile = _profiles(anchors, keyed)
    codeless = keyed.filter(~pl.col("code_valid"))

    codes = _near_codes(codeless, anchors, stats)
    by_name, name_review, name_candidates = _match_names(codeless, profile, codes, stats)
    by_code, code_review, conflicts = _match_codes(codeless, codes, name_candidates, profile, stats)
    by_name = by_name.join(conflicts, on="rec_id", how="anti")
    name_review = name_review.join(conflicts, on="rec_id", how="anti")
    linked = pl.concat([by_name, by_code])

    unmatched = codeless.join(name_candidates.select("rec_id").unique(), on="rec_id", how="anti")
    unmatched = unmatched.join(codes.select("rec_id").unique(), on="rec_id", how="anti")
    by_typo, typo_review = _match_typos(unmatched, profile, stats)
    linked = pl.concat([linked, by_typo])

    leftover = codeless.join(linked, on="rec_id", how="anti")
    leftover_orgs = _own_organizations(leftover)
    links = pl.concat(
        [
            anchors.select("rec_id", "org_id"),
            linked.select(LINK_SCHEMA.keys()),
            leftover_orgs.select("rec_id", "org_id"),
        ]
    ).sort("rec_id")

    review = pl.concat(
        [
            name_review,
            code_review,
            typo_review,
            _same_name_other_code(anchors, profile.names),
            _similar_leftovers(leftover_orgs, stats),
        ]
    ).select(REVIEW_SCHEMA.keys())
    # a row already linked to the candidate needs no review of that pair
    review = review.join(
        links.rename({"org_id": "candidate_org_id"}), on=["rec_id", "candidate_org_id"], how="anti"
    )
    review = review.sort("rec_id", "similarity", descending=[False, True])
    return Linked(links, review.unique(["rec_id", "candidate_org_id"], keep="first"), stats)


# --- what is known of each code group ---------------------------------------------------------


@dataclass
class _Profiles:
    names: pl.DataFrame  # org_id, name_key, match_key, name_forms
    towns: pl.DataFrame  # org_id, town: every 镇街 its records state or its address names
    people: pl.DataFrame  # org_id, legal_rep
    addresses: pl.DataFrame  # org_id, address
    kinds: pl.DataFrame  # org_id, source_kind: which departments already list it


def _squeezed(column: str) -> pl.Expr:
    return squeeze_text(pl.col(column)).alias(column)


def _profiles(anchors: pl.DataFrame, keyed: pl.DataFrame) -> _Profiles:
    known_towns = (
        keyed.select(pl.col("town_stated").drop_nulls().unique())
        .filter(pl.col("town_stated").str.contains(f"^{TOWN_PATTERN}$"))["town_stated"]
        .to_list()
    )
    towns = [anchors.select("org_id", town="town_stated")]
    if known_towns:
        alternatives = sorted(known_towns, key=lambda t: (-len(t), t))
        pattern = "(" + "|".join(re.escape(t) for t in alternatives) + ")"
        towns.append(anchors.select("org_id", town=pl.col("address").str.extract(pattern, 1)))
    return _Profiles(
        names=anchors.select("org_id", "name_key", "match_key", "name_forms")
        .drop_nulls("name_key")
        .unique(["org_id", "name_key"]),
        towns=pl.concat(towns).drop_nulls().unique(),
        people=anchors.select("org_id", _squeezed("legal_rep")).drop_nulls().unique(),
        addresses=anchors.select("org_id", _squeezed("address")).drop_nulls().unique(),
        kinds=anchors.select("org_id", "source_kind").unique(),
    )


def _with_evidence(pairs: pl.DataFrame, records: pl.DataFrame, profile: _Profiles) -> pl.DataFrame:
    """Adds to (rec_id, org_id) pairs: same_town, same_person, same_address, listed (the org
    already has a record from the same kind of extract)."""
    facts = records.select(
        "rec_id",
        "source_kind",
        town="town_stated",
        legal_rep=squeeze_text(pl.col("legal_rep")),
        address=squeeze_text(pl.col("address")),
    )
    marks = {
        "same_town": (profile.towns, ["org_id", "town"]),
        "same_person": (profile.people, ["org_id", "legal_rep"]),
        "same_address": (profile.addresses, ["org_id", "address"]),
        "listed": (profile.kinds, ["org_id", "source_kind"]),
    }
    out = pairs.join(facts, on="rec_id", how="left")
    for name, (table, on) in marks.items():
        out = out.join(table.select(on).with_columns(pl.lit(True).alias(name)), on=on, how="left")
    return out.with_columns(pl.col(list(marks)).fill_null(False)).drop(
        "source_kind", "town", "legal_rep", "address"
    )


# --- 2. by name --------------------------------------------------------------------------------


def _match_names(
    codeless: pl.DataFrame, profile: _Profiles, codes: pl.DataFrame, stats: dict[str, int]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(links, review, all candidates at each record's best level). ``codes`` (rec_id,
    org_id) are the near codes, which settle a name several organizations share."""
    rows = codeless.select("rec_id", "name_key", "match_key").drop_nulls("name_key")
    names = profile.names
    candidates = pl.concat(
        [
            rows.join(names.select("name_key", "org_id").unique(), on="name_key").select(
                "rec_id", "org_id", level=pl.lit(SAME_KEY)
            ),
            rows.join(names.select("match_key", "org_id").unique(), on="match_key").select(
                "rec_id", "org_id", level=pl.lit(SAME_WITHOUT_REGION)
            ),
        ]
    )
    stats["name_candidates"] = candidates.height
    best = (
        candidates.group_by("rec_id", "org_id")
        .agg(pl.col("level").min())
        .filter(pl.col("level") == pl.col("level").min().over("rec_id"))
    )
    near = codes.with_columns(code_near=pl.lit(True))
    best = best.join(near, on=["rec_id", "org_id"], how="left").with_columns(
        pl.col("code_near").fill_null(False)
    )
    decided, review = _decide(
        _with_evidence(best, codeless, profile), "名称与多个单位相同，无法按镇街区分"
    )
    return decided, review, best.select("rec_id", "org_id")


def _decide(candidates: pl.DataFrame, reason: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Among equally good candidates: the only one; else the only one a near code points to;
    else the only one in the record's 镇街; else none, and all go to the review list."""
    over = "rec_id"
    n = pl.len().over(over)
    n_code = pl.col("code_near").sum().over(over)
    n_town = pl.col("same_town").sum().over(over)
    chosen = candidates.filter(
        (n == 1)
        | ((n_code == 1) & pl.col("code_near"))
        | ((n_code != 1) & (n_town == 1) & pl.col("same_town"))
    )
    undecided = candidates.join(chosen.select("rec_id"), on="rec_id", how="anti")
    review = undecided.select(
        "rec_id",
        candidate_org_id=pl.col("org_id"),
        similarity=pl.lit(100.0),
        reason=pl.lit(reason),
    )
    return chosen.select("rec_id", "org_id"), review


# --- 3. by a code one typing slip away ----------------------------------------------------------


def _near_codes(
    codeless: pl.DataFrame, anchors: pl.DataFrame, stats: dict[str, int]
) -> pl.DataFrame:
    """(rec_id, org_id): invalid codes one edit away from a valid code in the data."""
    queries = codeless.filter(pl.col("credit_code").str.len_chars().is_between(17, 19)).select(
        query=pl.col("rec_id").cast(pl.String), text="credit_code"
    )
    known = anchors.select("org_id", candidate="org_id").unique()
    pairs = near_pairs(queries, known, min_chars=17)
    stats["code_candidates"] = pairs.height
    return (
        score_pairs(pairs)
        .filter(pl.col("distance") == 1)
        .select(rec_id=pl.col("query").cast(pl.UInt32), org_id="org_id")
        .unique()
    )


def _match_codes(
    codeless: pl.DataFrame,
    codes: pl.DataFrame,
    name_candidates: pl.DataFrame,
    profile: _Profiles,
    stats: dict[str, int],
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(links, review, conflicts). Records without a name match: a near code with a close name
    links. Records whose near code points elsewhere than their name (conflicts, rec_id): a person
    decides between them, and the name match is withdrawn."""
    named = name_candidates.select("rec_id").unique()
    elsewhere = codes.join(named, on="rec_id").join(
        name_candidates.select("rec_id", "org_id"), on=["rec_id", "org_id"], how="anti"
    )
    conflicts = elsewhere.select("rec_id").unique()
    conflict_review = pl.concat(
        [elsewhere, name_candidates.join(conflicts, on="rec_id").select("rec_id", "org_id")]
    ).select(
        "rec_id",
        candidate_org_id="org_id",
        similarity=pl.lit(None, dtype=pl.Float64),
        reason=pl.lit("名称与统一社会信用代码指向不同单位，请核实"),
    )

    only_code = codes.join(named, on="rec_id", how="anti")
    pairs = (
        only_code.join(codeless.select("rec_id", text="match_key"), on="rec_id")
        .join(profile.names.select("org_id", candidate="match_key"), on="org_id")
        .drop_nulls(["text", "candidate"])
        .select(
            query=pl.col("rec_id").cast(pl.String),
            text="text",
            org_id="org_id",
            candidate="candidate",
        )
    )
    best = (
        score_pairs(pairs)
        .sort("similarity", descending=True)
        .unique(["query", "org_id"], keep="first")
        .select(rec_id=pl.col("query").cast(pl.UInt32), org_id="org_id", similarity="similarity")
    )
    only_code = only_code.join(best, on=["rec_id", "org_id"], how="left")
    close = (pl.col("similarity") >= REVIEW_SIMILARITY).fill_null(False)
    linked = only_code.filter(close & (pl.len().over("rec_id") == 1))
    doubtful = only_code.join(linked.select("rec_id"), on="rec_id", how="anti").select(
        "rec_id",
        candidate_org_id="org_id",
        similarity="similarity",
        reason=pl.when(pl.col("similarity").is_null())
        .then(pl.lit("统一社会信用代码与该单位只差一处（疑似录入错误），本行无名称可核对"))
        .otherwise(
            pl.format(
                "统一社会信用代码与该单位只差一处（疑似录入错误），但名称差异较大（相似度{}%）",
                "similarity",
            )
        ),
    )
    return linked.select("rec_id", "org_id"), pl.concat([conflict_review, doubtful]), conflicts


# --- 4. by a name one character away, with corroboration ---------------------------------------


def _match_typos(
    unmatched: pl.DataFrame, profile: _Profiles, stats: dict[str, int]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Names one character apart, or the same but for different region words (临沂华泰商贸 and
    山东华泰商贸): linked only when unique and corroborated, else reviewed."""
    queries = unmatched.select(query=pl.col("rec_id").cast(pl.String), name_key="match_key")
    known = pl.concat(
        [
            profile.names.select("org_id", name_key="match_key"),
            profile.names.select("org_id", "name_key"),
        ]
    ).unique()
    close = close_names(queries.drop_nulls(), known, stats, "typo_candidates").with_columns(
        region_only=pl.lit(False)
    )
    regional = _region_variants(unmatched, profile.names).join(
        close, on=["query", "org_id"], how="anti"
    )
    stats["region_variant_candidates"] = regional.height
    pairs = pl.concat([close, regional], how="diagonal_relaxed")
    candidates = _with_evidence(
        pairs.with_columns(rec_id=pl.col("query").cast(pl.UInt32)), unmatched, profile
    )
    corroborated = pl.col("same_town") & (pl.col("same_person") | pl.col("same_address"))
    linked = candidates.filter((pl.len().over("rec_id") == 1) & corroborated)
    doubtful = (
        candidates.join(linked.select("rec_id"), on="rec_id", how="anti")
        # the likeliest first: same 镇街, not yet on the same kind of list, closest name
        .sort(
            "rec_id",
            "same_town",
            "listed",
            "similarity",
            "org_id",
            descending=[False, True, False, True, False],
        )
        .filter(pl.int_range(pl.len()).over("rec_id") < MAX_REVIEW_CANDIDATES)
    )
    review = doubtful.select(
        "rec_id",
        candidate_org_id="org_id",
        similarity="similarity",
        reason=_close_reason(),
    )
    return linked.select("rec_id", "org_id"), review


def _region_variants(unmatched: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """(query, org_id, similarity, region_only) where the names are equal once the region
    words of both are taken off (``name_forms``), and not before (those were matched already)."""

    def forms(frame: pl.DataFrame, id_column: str) -> pl.DataFrame:
        return (
            frame.select(
                id_column, "name_key", form=pl.concat_list("name_forms", "name_key", "match_key")
            )
            .explode("form")
            .drop_nulls("form")
            .unique()
        )

    rows = unmatched.drop_nulls("name_key").with_columns(query=pl.col("rec_id").cast(pl.String))
    shared = forms(rows, "query").join(
        forms(names, "org_id").rename({"name_key": "candidate"}), on="form"
    )
    pairs = shared.select("query", text="name_key", org_id="org_id", candidate="candidate")
    scored = score_pairs(pairs.unique())
    return (
        scored.sort("similarity", descending=True)
        .unique(["query", "org_id"], keep="first")
        .select("query", "org_id", "similarity", region_only=pl.lit(True))
    )


def _close_reason() -> pl.Expr:
    what = (
        pl.when(pl.col("region_only"))
        .then(pl.lit("名称仅地名不同"))
        .otherwise(pl.format("名称相近（相似度{}%）", "similarity"))
    )
    where = pl.when(pl.col("same_town")).then(pl.lit("，同一镇街")).otherwise(pl.lit(""))
    listed = (
        pl.when(pl.col("listed")).then(pl.lit("；该单位在同类名单中已有记录")).otherwise(pl.lit(""))
    )
    return pl.format("{}{}，未自动合并{}", what, where, listed)


# --- 5. leftovers ------------------------------------------------------------------------------


def _own_organizations(leftover: pl.DataFrame) -> pl.DataFrame:
    """Leftovers form organizations keyed by name, or by their (invalid) code when nameless."""
    identity = pl.when(pl.col("match_key").is_not_null()).then(
        pl.lit("名称:") + pl.col("match_key")
    )
    identity = identity.otherwise(pl.lit("代码:") + pl.col("credit_code"))
    keys = leftover.select("rec_id", "match_key", "credit_code", identity=identity)
    ids = (
        keys.select("identity")
        .unique()
        .with_columns(org_id=pl.col("identity").map_elements(_stable_id, return_dtype=pl.String))
    )
    return keys.join(ids, on="identity", how="left")


def _stable_id(identity: str) -> str:
    """An org id that stays the same from one build to the next (orgs without a valid code)."""
    return "N" + hashlib.sha1(identity.encode("utf-8")).hexdigest()[:17].upper()


def _same_name_other_code(anchors: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    shared = names.select("name_key", "org_id").unique().filter(pl.len().over("name_key") > 1)
    pairs = anchors.select("rec_id", "name_key", own=pl.col("org_id")).join(shared, on="name_key")
    return pairs.filter(pl.col("org_id") != pl.col("own")).select(
        "rec_id",
        candidate_org_id=pl.col("org_id"),
        similarity=pl.lit(100.0),
        reason=pl.lit("名称相同但统一社会信用代码不同，请核实是否为同一单位"),
    )


def _similar_leftovers(leftover_orgs: pl.DataFrame, stats: dict[str, int]) -> pl.DataFrame:
    """Leftover organizations whose names are one character apart: ask a person."""
    orgs = leftover_orgs.select("org_id", name_key="match_key").drop_nulls().unique()
    queries = orgs.select(query="org_id", name_key="name_key")
    close = close_names(queries, orgs, stats, "leftover_candidates")
    close = close.filter(pl.col("org_id") != pl.col("query"))
    return (
        leftover_orgs.select("rec_id", query="org_id")
        .join(close, on="query")
        .select(
            "rec_id",
            candidate_org_id="org_id",
            similarity="similarity",
            reason=pl.format("名称相近（相似度{}%），未自动合并", pl.col("similarity")),
        )
    )
