"""Link source records into master organizations (docs/rules.md §R4.2).

1. Records with the same valid credit code are one organization (its id is the code). Two
   different valid codes are never merged.
2. A record without a valid code whose whole name is that of exactly one registered
   organization links to it; the whole name beats every reduced form.
3. Otherwise every organization it may be by name (the same name key, the name without region
   words, the same 字号 and trade, else 字号 and trade one character apart) is weighed on the
   name's parts, the 镇街, the legal representative, the address and a near code
   (Fellegi–Sunter, ``weights.py``; docs/linkage.md): link, review, or its own organization.
   A near code pointing elsewhere than the name: a person decides.
4. No name candidate: a code one typing slip from a valid code links the record when the names
   are close as well; otherwise a person decides.
5. Records left over form organizations of their own, one per name; close names among them go
   to the review list too. Those no register lists are the findings 未在登记信息中找到.

Every comparison runs on candidate pairs from exact joins or from the blocking in
``similar.py``, so the work grows with the number of records, not with its square.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import polars as pl

from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.reconcile.records import known_towns
from liangxin.engine.reconcile.similar import (
    REVIEW_SIMILARITY,
    close_names,
    near_pairs,
    one_slip_apart,
    score_pairs,
)
from liangxin.engine.reconcile.weights import BLOCK_KEYS, Chance, chance, settings, weigh

REVIEW_SCHEMA = {
    "rec_id": pl.UInt32,
    "candidate_org_id": pl.String,
    "similarity": pl.Float64,
    "reason": pl.String,
}
LINK_SCHEMA = {"rec_id": pl.UInt32, "org_id": pl.String, "evidence": pl.String}
MAX_REVIEW_CANDIDATES = 3  # a person compares a row with its few closest organizations
MIN_CORE = 2  # a 字号 and trade shorter than this is no candidate by itself
MAX_CORE = 50  # organizations sharing one 字号 and trade beyond this say nothing by it
NAME_SAMPLE = 5_000  # registered organizations whose names estimate the u of name levels
# extracts that are registers themselves: their rows without a code are not “not found”
REGISTERS = ("registry", "social_org")


@dataclass
class Linked:
    links: pl.DataFrame  # rec_id → org_id, evidence (why a row without a valid code links)
    review: pl.DataFrame  # rec_id, candidate_org_id, similarity, reason
    stats: dict[str, int] = field(default_factory=dict)  # candidate pairs per matching step
    # rows without a valid code found in no register: rec_id, candidate_org_id, evidence
    not_found: pl.DataFrame = field(default_factory=pl.DataFrame)


def link_records(keyed: pl.DataFrame) -> Linked:
    """Links every record to an org id; doubtful pairs go to the review list. ``keyed`` comes
    from ``add_match_keys`` (name keys and parts, code_valid, town_stated)."""
    stats: dict[str, int] = {}
    anchors = keyed.filter(pl.col("code_valid")).with_columns(org_id=pl.col("credit_code"))
    profile = _profiles(anchors, keyed)
    codeless = keyed.filter(~pl.col("code_valid"))

    codes = _near_codes(codeless, anchors, stats)
    by_name, name_review, name_candidates, closest = _match_names(codeless, profile, codes, stats)
    by_code, code_review, conflicts = _match_codes(codeless, codes, name_candidates, profile, stats)
    by_name = by_name.join(conflicts, on="rec_id", how="anti")
    name_review = name_review.join(conflicts, on="rec_id", how="anti")
    linked = pl.concat(
        [
            by_name,
            by_code.with_columns(evidence=pl.lit("统一社会信用代码只差一处，名称相近，唯一候选")),
        ]
    )

    leftover = codeless.join(linked, on="rec_id", how="anti")
    leftover_orgs = _own_organizations(leftover)
    links = pl.concat(
        [
            anchors.select("rec_id", "org_id", evidence=pl.lit(None, dtype=pl.String)),
            linked.select(LINK_SCHEMA.keys()),
            leftover_orgs.select("rec_id", "org_id", evidence=pl.lit(None, dtype=pl.String)),
        ]
    ).sort("rec_id")

    review = pl.concat(
        [
            name_review,
            code_review,
            _same_name_other_code(anchors, profile.names),
            _similar_leftovers(leftover_orgs, stats),
        ]
    ).select(REVIEW_SCHEMA.keys())
    # a row already linked to the candidate needs no review of that pair
    review = review.join(
        links.select("rec_id", candidate_org_id="org_id"),
        on=["rec_id", "candidate_org_id"],
        how="anti",
    )
    review = review.sort("rec_id", "similarity", descending=[False, True])
    not_found = _not_found(leftover, leftover_orgs, review, closest)
    return Linked(
        links, review.unique(["rec_id", "candidate_org_id"], keep="first"), stats, not_found
    )


def _not_found(
    leftover: pl.DataFrame,
    leftover_orgs: pl.DataFrame,
    review: pl.DataFrame,
    closest: pl.DataFrame,
) -> pl.DataFrame:
    """Rows without a valid code that no registered organization takes, no register lists
    even without a code, and no person is asked about: each with its closest candidates."""
    kinds = leftover.select("rec_id", "source_kind").join(
        leftover_orgs.select("rec_id", "org_id"), on="rec_id"
    )
    registered = kinds.filter(pl.col("source_kind").is_in(REGISTERS)).select("org_id").unique()
    rows = kinds.join(registered, on="org_id", how="anti").select("rec_id")
    rows = rows.join(review.select("rec_id").unique(), on="rec_id", how="anti")
    return rows.join(closest, on="rec_id", how="left")


# --- what is known of each code group ---------------------------------------------------------


@dataclass
class _Profiles:
    names: pl.DataFrame  # org_id, name_key, match_key, name_forms, full_key, region, core, form
    towns: pl.DataFrame  # org_id, town: every 镇街 its records state or its address names
    people: pl.DataFrame  # org_id, legal_rep
    addresses: pl.DataFrame  # org_id, address
    facts: pl.DataFrame  # one row per org: form, town, legal_rep, address (for u)
    moved: tuple[int, int]  # rows stating a 镇街 as another row of their org does; differing


def _squeezed(column: str) -> pl.Expr:
    return squeeze_text(pl.col(column)).alias(column)


def _profiles(anchors: pl.DataFrame, keyed: pl.DataFrame) -> _Profiles:
    stated = known_towns(keyed)
    towns = [anchors.select("org_id", town="town_stated")]
    if stated:
        alternatives = sorted(stated, key=lambda t: (-len(t), t))
        pattern = "(" + "|".join(re.escape(t) for t in alternatives) + ")"
        towns.append(anchors.select("org_id", town=pl.col("address").str.extract(pattern, 1)))
    facts = anchors.select(
        "org_id",
        _form_norm(pl.col("form")).alias("form"),
        "town_stated",
        _squeezed("legal_rep"),
        _squeezed("address"),
    ).unique("org_id", keep="first")
    return _Profiles(
        names=anchors.select(
            "org_id", "name_key", "match_key", "name_forms", "full_key", "region", "core", "form"
        )
        .drop_nulls("name_key")
        .unique(["org_id", "full_key"]),
        towns=pl.concat(towns).drop_nulls().unique(),
        people=anchors.select("org_id", _squeezed("legal_rep")).drop_nulls().unique(),
        addresses=anchors.select("org_id", _squeezed("address")).drop_nulls().unique(),
        facts=facts.rename({"town_stated": "town"}),
        moved=_moved(anchors),
    )


# --- 2. by name and everything else the row says ------------------------------------------------

_NAME_RANK = {"exact": 0, "same_core": 1, "other_region": 2, "slip": 3, "none": 4}
_FORM_RANK = {"same": 0, "absent": 1, "different": 2}
_FORM_ALIKE = {"股份公司": "股份有限公司", "合伙企业": "合伙企业"}


def _candidates(rows: pl.DataFrame, names: pl.DataFrame, stats: dict[str, int]) -> pl.DataFrame:
    """(rec_id, org_id, slip): every organization a row may be by its name — the same whole
    name, the same name without region words, the same 字号 and trade (a block of at most
    MAX_CORE), else a 字号 and trade one character apart. (A code one slip away without such
    a name is ``_match_codes``'s.)"""
    pick = ["rec_id", "org_id"]
    core_block = names.select("org_id", "core").unique().filter(pl.len().over("core") <= MAX_CORE)
    exact = [
        rows.join(names.select(key, "org_id").unique(), on=key).select(pick)
        for key in ("full_key", "name_key", "match_key")
    ]
    by_core = rows.filter(pl.col("core").str.len_chars() >= MIN_CORE).join(core_block, on="core")
    named = pl.concat([*exact, by_core.select(pick)]).with_columns(slip=pl.lit(False))
    # one slip apart only where nothing has the row's name or 字号 and trade
    unnamed = rows.join(named.select("rec_id").unique(), on="rec_id", how="anti")
    queries = unnamed.select(query=pl.col("rec_id").cast(pl.String), text="core").drop_nulls()
    slips = one_slip_apart(queries, names.select("org_id", candidate="core").unique())
    stats["slip_candidates"] = slips.height
    pairs = pl.concat(
        [
            named,
            slips.select(
                rec_id=pl.col("query").cast(pl.UInt32), org_id="org_id", slip=pl.lit(True)
            ),
        ]
    )
    stats["name_candidates"] = pairs.height
    return pairs.group_by(pick).agg(pl.col("slip").any())


def _levels(pairs: pl.DataFrame, rows: pl.DataFrame, profile: _Profiles) -> pl.DataFrame:
    """The comparison level of each part of each pair (the best of the org's names)."""
    mine = rows.select("rec_id", "full_key", "region", "core", "form")
    theirs = profile.names.select(
        "org_id", o_full="full_key", o_region="region", o_core="core", o_form="form"
    )
    region = _region_norm(pl.col("region"))
    o_region = _region_norm(pl.col("o_region"))
    same_place = (
        region.is_null()
        | o_region.is_null()
        | region.str.contains(o_region, literal=True)
        | o_region.str.contains(region, literal=True)
    )
    name = (
        pl.when(pl.col("full_key") == pl.col("o_full"))
        .then(pl.lit("exact"))
        .when((pl.col("core") == pl.col("o_core")) & same_place)
        .then(pl.lit("same_core"))
        .when(pl.col("core") == pl.col("o_core"))
        .then(pl.lit("other_region"))
        .when(pl.col("slip"))
        .then(pl.lit("slip"))
        .otherwise(pl.lit("none"))
    )
    form, o_form = _form_norm(pl.col("form")), _form_norm(pl.col("o_form"))
    form_level = (
        pl.when((pl.col("name") == "exact") | (form.is_null() & o_form.is_null()))
        .then(pl.lit("same"))
        .when(form.is_null() | o_form.is_null())
        .then(pl.lit("absent"))
        .when(form == o_form)
        .then(pl.lit("same"))
        .otherwise(pl.lit("different"))
    )
    compared = (
        pairs.join(mine, on="rec_id")
        .join(theirs, on="org_id")
        .with_columns(name=name)
        .with_columns(form=form_level, _rank=pl.col("name").replace_strict(_NAME_RANK))
        .sort("rec_id", "org_id", "_rank", pl.col("form").replace_strict(_FORM_RANK))
        .unique(["rec_id", "org_id"], keep="first")
    )
    # the row's block at each level: its candidates at that level or a closer one (the same
    # whole name; the same 字号 and trade in the same place; the same 字号 and trade)
    block = pl.lit(None, dtype=pl.UInt32)
    for level in BLOCK_KEYS:
        closer = (pl.col("_rank") <= _NAME_RANK[level]).sum().over("rec_id")
        block = pl.when(pl.col("name") == level).then(closer).otherwise(block)
    compared = compared.with_columns(block=block)
    return compared.select("rec_id", "org_id", "name", "block", "form", "full_key", "core")


def _region_norm(e: pl.Expr) -> pl.Expr:
    """A region word without its level suffixes: 临沭县蛟龙镇 → 临沭蛟龙, 临沭 → 临沭."""
    return e.str.replace_all(r"省|市|县|区|自治区|街道|镇|乡", "")


def _form_norm(e: pl.Expr) -> pl.Expr:
    """公司 alone is a form left off; 股份公司 ≡ 股份有限公司."""
    return pl.when(e == "公司").then(None).otherwise(e.replace(_FORM_ALIKE))


def _side_level(
    pairs: pl.DataFrame, records: pl.DataFrame, column: str, known: pl.DataFrame, name: str
) -> pl.DataFrame:
    """same / different / null (a side blank) of the row's ``column`` against the org's."""
    values = records.select("rec_id", pl.col(column).alias("_v")).drop_nulls()
    has = known.select("org_id").unique().with_columns(_has=pl.lit(True))
    same = known.select("org_id", _v=known.columns[1]).with_columns(_same=pl.lit(True))
    out = (
        pairs.join(values, on="rec_id", how="left")
        .join(has, on="org_id", how="left")
        .join(same, on=["org_id", "_v"], how="left")
    )
    level = (
        pl.when(pl.col("_same"))
        .then(pl.lit("same"))
        .when(pl.col("_v").is_not_null() & pl.col("_has"))
        .then(pl.lit("different"))
    )
    return out.with_columns(level.alias(name)).drop("_v", "_has", "_same")


def _match_names(
    codeless: pl.DataFrame,
    profile: _Profiles,
    codes: pl.DataFrame,
    stats: dict[str, int],
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(links, review, candidates, closest). A whole name the same as exactly one registered
    organization's links; otherwise every candidate is weighed (``weights.py``): the best links
    when its probability reaches ``link``, candidates from ``review`` on go to a person, the
    rest are only the closest names shown with a row found in no register. ``candidates``
    (rec_id, org_id) are those a person may be asked about; ``closest`` up to three per row."""
    rows = codeless.select("rec_id", "full_key", "name_key", "match_key", "region", "core", "form")
    rows = rows.drop_nulls("full_key")
    pairs = _levels(_candidates(rows, profile.names, stats), rows, profile)
    facts = codeless.select(
        "rec_id",
        town="town_stated",
        legal_rep=squeeze_text(pl.col("legal_rep")),
        address=squeeze_text(pl.col("address")),
    )
    pairs = _side_level(pairs, facts, "town", profile.towns, "town")
    pairs = _side_level(pairs, facts, "legal_rep", profile.people, "legal_rep")
    pairs = _side_level(pairs, facts, "address", profile.addresses, "address")
    pairs = pairs.join(
        codes.with_columns(code_near=pl.lit(True)), on=["rec_id", "org_id"], how="left"
    )
    pairs = pairs.with_columns(pl.col("code_near").fill_null(False))

    u = _chance(profile, stats)
    s = settings()
    scored = weigh(pairs.with_columns(name=pl.col("name").replace("none", None)), u, s)
    scored = scored.with_columns(pl.col("name").fill_null("none"))

    exact = scored.filter(pl.col("name") == "exact").filter(pl.len().over("rec_id") == 1)
    best = scored.join(exact.select("rec_id"), on="rec_id", how="anti").filter(
        (pl.col("probability") >= s.link)
        & (pl.col("probability") == pl.col("probability").max().over("rec_id"))
    )
    linked = pl.concat([exact, best]).unique("rec_id", keep="first")
    likely = scored.filter(pl.col("probability") >= s.review)
    n_likely = likely.group_by("rec_id").len("_n")
    scored = scored.join(n_likely, on="rec_id", how="left").with_columns(
        pl.col("_n").fill_null(0), evidence=_evidence()
    )
    links = linked.join(scored.select("rec_id", "org_id", "evidence"), on=["rec_id", "org_id"])
    undecided = scored.join(linked.select("rec_id"), on="rec_id", how="anti")
    ranked = undecided.sort(
        "rec_id", "probability", "org_id", descending=[False, True, False]
    ).filter(pl.int_range(pl.len()).over("rec_id") < MAX_REVIEW_CANDIDATES)
    review = ranked.filter(pl.col("probability") >= s.review).select(
        "rec_id", candidate_org_id="org_id", similarity=_similarity(), reason="evidence"
    )
    candidates = pl.concat([linked.select("rec_id", "org_id"), likely.select("rec_id", "org_id")])
    closest = ranked.select("rec_id", candidate_org_id="org_id", evidence="evidence")
    return links.select("rec_id", "org_id", "evidence"), review, candidates.unique(), closest


def _chance(profile: _Profiles, stats: dict[str, int]) -> Chance:
    """What the registered organizations say: how many share each whole name and each 字号 and
    trade, how many pairs of a sample of them have 字号 and trade one character apart, and how
    often a row of an organization with a valid code states a 镇街 no other row of it does."""
    names = profile.names.select("org_id", "full_key", "core")
    blocks = {
        key: names.select("org_id", key).drop_nulls().unique().group_by(key).len()["len"]
        for key in dict.fromkeys(BLOCK_KEYS.values())
    }
    # one core per organization, the same in every build of the same files
    cores = names.sort("org_id", "full_key").unique("org_id", keep="first", maintain_order=True)
    sample = cores.sample(min(cores.height, NAME_SAMPLE), seed=0) if cores.height else cores
    slips = one_slip_apart(
        sample.select(query="org_id", text="core"), sample.select("org_id", candidate="core")
    )
    slip_pairs = slips.filter(pl.col("query") < pl.col("org_id")).height
    rows, moved = profile.moved
    stats |= {"sample_pairs_slip": slip_pairs, "town_rows": rows, "town_moved": moved}
    return chance(profile.facts, blocks, slip_pairs, sample.height, profile.moved)


def _moved(anchors: pl.DataFrame) -> tuple[int, int]:
    """(rows, moved): rows of organizations with a valid code that state a 镇街 while another
    row of the organization states one too, and those among them whose 镇街 no other row of
    the organization states."""
    towns = anchors.select("org_id", town="town_stated").drop_nulls()
    counted = towns.with_columns(
        rows=pl.len().over("org_id"), same=pl.len().over("org_id", "town")
    ).filter(pl.col("rows") > 1)
    return counted.height, counted.filter(pl.col("same") == 1).height


def _similarity() -> pl.Expr:
    return pl.col("probability").mul(100).round(1)


_NAME_WORDS = {
    "exact": "名称完全相同",
    "same_core": "字号、行业相同",
    "other_region": "字号、行业相同但地名不同",
    "slip": "字号相差一字",
    "none": "名称不同",
}
_SIDE_WORDS = {
    "town": ("同一镇街", "镇街不同"),
    "legal_rep": ("法定代表人相同", "法定代表人不同"),
    "address": ("住所相同", "住所不同"),
}


def _evidence() -> pl.Expr:
    """“名称简写，字号、行业相同，同一镇街，唯一候选（可能性97.1%）”."""
    parts = [
        pl.when((pl.col("name") != "exact") & (pl.col("form") == "absent")).then(
            pl.lit("名称简写")
        ),
        pl.when(pl.col("form") == "different").then(pl.lit("组织形式不同")),
        pl.col("name").replace_strict(_NAME_WORDS),
    ]
    for column, (same, different) in _SIDE_WORDS.items():
        parts.append(
            pl.when(pl.col(column) == "same")
            .then(pl.lit(same))
            .when(pl.col(column) == "different")
            .then(pl.lit(different))
        )
    parts += [
        pl.when(pl.col("code_near")).then(pl.lit("统一社会信用代码只差一处")),
        pl.when(pl.col("_n") <= 1)
        .then(pl.lit("唯一候选"))
        .otherwise(pl.format("共{}个候选", pl.col("_n"))),
    ]
    text = pl.concat_str(parts, separator="，", ignore_nulls=True)
    return pl.format("{}（可能性{}%）", text, _similarity())


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
    """Two valid codes under one whole name (region words included: 临沭县华泰机械 and
    临沂市华泰机械 are two registrations, not a question)."""
    shared = names.select("full_key", "org_id").unique().filter(pl.len().over("full_key") > 1)
    pairs = anchors.select("rec_id", "full_key", own=pl.col("org_id")).join(shared, on="full_key")
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
