"""Resolve the units that party-organization, instructor and park rows name (docs/rules.md §R3.2, §R4.2).

A cell may name several units (a joint party organization), by credit code or by name, with
any of 、，,；; or line breaks between them. Each name is resolved like a source record: a valid
code finds its organization; a name finds the organization whose records carry the same name
key; a close name goes to the review list; anything else stays unresolved with a reason.
"""

from __future__ import annotations

import hashlib

import polars as pl

from liangxin.engine.normalize.codes import code_is_valid, normalize_code
from liangxin.engine.normalize.names import name_key, name_parts, region_aliases
from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.reconcile.resolve import source_ref
from liangxin.engine.reconcile.similar import close_names, one_slip_apart
from liangxin.engine.schema import LIST_SEPARATORS, SCHEMAS, Kind

SPLIT = "[" + LIST_SEPARATORS.replace("\n", "\\n").replace("\r", "\\r") + "]+"

PARTY_ORG_TYPES = {
    "党委": "committee",
    "基层党委": "committee",
    "党总支": "general_branch",
    "党总支部": "general_branch",
    "总支部": "general_branch",
    "党支部": "branch",
    "支部": "branch",
    "联合党支部": "joint_branch",
}
MODES = {
    "单独组建": "single",
    "联合组建": "joint",
    "行业联建": "joint",
    "区域联建": "joint",
    "楼宇联建": "joint",
    "园区联建": "joint",
    "依托组建": "affiliated",
    "挂靠组建": "affiliated",
}

# kind → (entity id prefix, columns that identify one entity, columns that list its units)
REFERENCE_LAYOUT: dict[Kind, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    Kind.PARTY_ORG: ("P", ("party_org_name",), ("unit_credit_codes", "unit_names")),
    Kind.INSTRUCTOR: ("I", ("name", "unit", "phone"), ("assigned_units",)),
    Kind.PARK: ("K", ("park_name",), ("units",)),
}

UNIT_REF_SCHEMA = {
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
    "entity_id": pl.String,
    "column": pl.String,
    "ref_text": pl.String,
    "org_id": pl.String,
    "status": pl.String,
}


def _entity_id(prefix: str) -> pl.Expr:
    return pl.col("_identity").map_elements(
        lambda text: prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12].upper(),
        return_dtype=pl.String,
    )


def resolve_references(
    kind: Kind,
    rows: pl.DataFrame,
    org_names: pl.DataFrame,
    region_prefixes: list[str],
    region_words: list[str] = (),
    towns: list[str] = (),
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(entities with their unit org ids, one row per unit reference with its resolution).

    ``org_names`` holds (org_id, name_key, match_key, credit_code, town) for every master
    organization, and optionally ``forms``, the org's names without their region words
    (``region_aliases``) and ``core``, its 字号 and trade (``name_parts``); ``region_words``
    and ``towns`` are the words a name may carry or drop.
    """
    prefix, identity, unit_columns = REFERENCE_LAYOUT[kind]
    rows = rows.with_columns(
        _identity=pl.concat_str(
            [squeeze_text(pl.col(c)).fill_null("") for c in identity], separator="|"
        ),
        _ref=source_ref(),
    )
    ids = rows.select("_identity").unique().with_columns(entity_id=_entity_id(prefix))
    rows = rows.join(ids, on="_identity", how="left")
    words = (list(region_words), list(towns))
    refs = _resolve_tokens(kind, _tokens(rows, unit_columns), org_names, region_prefixes, words)
    units = (
        refs.filter(pl.col("org_id").is_not_null())
        .group_by("entity_id")
        .agg(unit_org_ids=pl.col("org_id").unique().sort())
    )
    unresolved = (
        refs.filter(pl.col("org_id").is_null())
        .group_by("entity_id")
        .agg(unresolved_units=pl.col("ref_text").unique().sort())
    )
    # Duplicate rows of one entity: the first row's values, the union of their units.
    entities = (
        rows.sort("source_file", "source_sheet", "source_row")
        .unique("entity_id", keep="first", maintain_order=True)
        .rename({"_ref": "source"})
        .drop("_identity", *unit_columns)
        .join(units, on="entity_id", how="left")
        .join(unresolved, on="entity_id", how="left")
        .with_columns(
            pl.col("unit_org_ids").fill_null([]),
            pl.col("unresolved_units").fill_null([]),
        )
    )
    if kind is Kind.PARTY_ORG:
        entities = _party_org_facts(entities)
    return entities.sort("entity_id"), refs.select(UNIT_REF_SCHEMA.keys())


def _tokens(rows: pl.DataFrame, unit_columns: tuple[str, ...]) -> pl.DataFrame:
    parts = []
    for column in unit_columns:
        if column not in rows.columns:
            continue
        parts.append(
            rows.select(
                "source_file",
                "source_sheet",
                "source_row",
                "entity_id",
                column=pl.lit(column),
                ref_text=pl.col(column).str.replace_all(SPLIT, "\u0001").str.split("\u0001"),
                town=pl.col("town") if "town" in rows.columns else pl.lit(None, dtype=pl.String),
            )
            .explode("ref_text")
            .with_columns(pl.col("ref_text").str.strip_chars())
            .filter(pl.col("ref_text").is_not_null() & (pl.col("ref_text") != ""))
        )
    if not parts:
        return pl.DataFrame(schema={**UNIT_REF_SCHEMA, "town": pl.String})
    return pl.concat(parts).with_row_index("token_id")


def _resolve_tokens(
    kind: Kind,
    tokens: pl.DataFrame,
    org_names: pl.DataFrame,
    region_prefixes: list[str],
    words: tuple[list[str], list[str]],
) -> pl.DataFrame:
    region_words, towns = words
    if tokens.is_empty():
        return pl.DataFrame(schema=UNIT_REF_SCHEMA)
    # the code is materialised first: code_is_valid reads its input once per character
    tokens = tokens.with_columns(code=normalize_code(pl.col("ref_text")))
    looks_like_code = pl.col("code").str.contains(r"^[0-9A-Z]{15,20}$").fill_null(False)
    tokens = tokens.with_columns(
        is_code=looks_like_code,
        code_valid=code_is_valid(pl.col("code")) & looks_like_code,
        name_key=pl.when(looks_like_code)
        .then(None)
        .otherwise(name_key(pl.col("ref_text"), region_prefixes)),
        full_key=pl.when(looks_like_code).then(None).otherwise(name_key(pl.col("ref_text"))),
    )
    parts = name_parts(tokens["full_key"], region_words, towns).select("full_key", "core")
    tokens = tokens.join(parts, on="full_key", how="left", maintain_order="left")
    codes = org_names.select("org_id", "credit_code").drop_nulls().unique("credit_code")
    by_code = tokens.filter(pl.col("code_valid")).join(
        codes.rename({"credit_code": "code"}), on="code", how="left"
    )

    keys = pl.concat(
        [
            org_names.select("name_key", "org_id", org_town="town"),
            org_names.select(name_key="match_key", org_id="org_id", org_town="town"),
        ]
    )
    keys = keys.drop_nulls("name_key").unique(["name_key", "org_id"])
    if "forms" not in org_names.columns:
        org_names = org_names.with_columns(forms=region_aliases(pl.col("name_key"), region_words))
    key_forms = (
        org_names.select("org_id", org_town="town", form="forms")
        .explode("form")
        .drop_nulls("form")
        .unique(["form", "org_id"])
    )
    parts = {"org_id": pl.String, "full_key": pl.String, "core": pl.String, "town": pl.String}
    for column, dtype in parts.items():
        if column not in org_names.columns:
            org_names = org_names.with_columns(pl.lit(None, dtype=dtype).alias(column))
    # org_names holds one row per organization and whole name: no unique() needed here
    cores = org_names.select("org_id", "core", org_town="town").drop_nulls("core")
    whole = org_names.select("org_id", "full_key", org_town="town").drop_nulls("full_key")
    named = _name_candidates(
        tokens.filter(~pl.col("is_code")), (whole, keys), key_forms, cores, region_words
    )
    named = named.with_columns(
        n=pl.col("org_id").count().over("token_id"),
        town_match=(pl.col("org_town") == pl.col("town")).fill_null(False),
    )
    n_town = pl.col("town_match").sum().over("token_id")
    chosen = named.filter(
        (pl.col("n") == 1) | ((pl.col("n") > 1) & (n_town == 1) & pl.col("town_match"))
    )
    chosen_ids = chosen.select("token_id")
    unnamed = (
        named.join(chosen_ids, on="token_id", how="anti")
        .unique("token_id")
        .with_columns(org_id=pl.lit(None, dtype=pl.String))
    )
    close = close_names(
        unnamed.filter(pl.col("n") == 0).select(
            query=pl.col("token_id").cast(pl.String), name_key="name_key"
        ),
        keys.select("name_key", "org_id"),
    )
    best = (
        close.sort("similarity", descending=True)
        .unique("query", keep="first")
        .rename({"org_id": "candidate"})
    )
    unnamed = unnamed.with_columns(query=pl.col("token_id").cast(pl.String)).join(
        best, on="query", how="left"
    )
    label = {f.name: f.label for f in SCHEMAS[kind].fields}
    resolved = pl.concat(
        [
            by_code.with_columns(
                status=pl.when(pl.col("org_id").is_not_null())
                .then(pl.lit("按代码匹配"))
                .otherwise(pl.lit("代码不在任何名录中"))
            ),
            tokens.filter(pl.col("is_code") & ~pl.col("code_valid")).with_columns(
                org_id=pl.lit(None, dtype=pl.String), status=pl.lit("统一社会信用代码无效")
            ),
            chosen.with_columns(status=pl.lit("按名称匹配")),
            unnamed.with_columns(
                status=pl.when(pl.col("n") > 1)
                .then(pl.lit("名称与多个单位相同，待人工确认"))
                .when(pl.col("candidate").is_not_null())
                .then(
                    pl.format(
                        "未找到同名单位；名称相近：{}（相似度{}%），待人工确认",
                        pl.col("candidate"),
                        pl.col("similarity"),
                    )
                )
                .otherwise(pl.lit("未找到该单位"))
            ),
        ],
        how="diagonal_relaxed",
    )
    return resolved.sort("token_id").with_columns(
        pl.col("column").replace_strict(label, default=pl.col("column"))
    )


def _name_candidates(
    tokens: pl.DataFrame,
    names: tuple[pl.DataFrame, pl.DataFrame],
    key_forms: pl.DataFrame,
    cores: pl.DataFrame,
    region_words: list[str],
) -> pl.DataFrame:
    """Tokens with the organizations of the same whole name, else of the same name key
    (``names``: (org_id, full_key, org_town), (name_key, org_id, org_town)); org_id null when
    none. A token
    with none takes those whose name is otherwise identical once region words are taken off
    one side (华泰商贸 and 临沂华泰商贸, 华泰(临沂)商贸); ``key_forms`` holds (form, org_id,
    org_town) for the organizations' names without their region words. Still none: those of
    the same 字号 and trade (华泰机械 for 临沭县华泰机械有限公司), else of a 字号 and trade one
    character apart (华太机械); ``cores`` holds (org_id, core, org_town)."""
    whole, keys = names
    exact = tokens.join(whole, on="full_key", how="inner")
    missing = tokens.join(exact.select("token_id").unique(), on="token_id", how="anti")
    by_key = missing.join(keys, on="name_key", how="inner")
    exact = pl.concat([exact, by_key], how="diagonal_relaxed")
    missing = missing.join(by_key.select("token_id").unique(), on="token_id", how="anti")
    by_alias = pl.concat(
        [
            missing.with_columns(form=region_aliases(pl.col("name_key"), region_words))
            .explode("form")
            .join(keys.rename({"name_key": "form"}), on="form")
            .drop("form"),
            missing.join(key_forms.rename({"form": "name_key"}), on="name_key"),
        ]
    ).unique(["token_id", "org_id"])
    unknown = missing.join(by_alias.select("token_id").unique(), on="token_id", how="anti")
    by_core = unknown.join(cores, on="core").unique(["token_id", "org_id"])
    unknown = unknown.join(by_core.select("token_id").unique(), on="token_id", how="anti")
    slips = one_slip_apart(
        unknown.select(query=pl.col("token_id").cast(pl.String), text="core"),
        cores.select("org_id", candidate="core"),
    )
    by_slip = (
        unknown.with_columns(query=pl.col("token_id").cast(pl.String))
        .join(slips, on="query")
        .join(cores.select("org_id", "org_town").unique("org_id"), on="org_id")
        .drop("query")
    )
    unknown = unknown.join(by_slip.select("token_id").unique(), on="token_id", how="anti")
    return pl.concat([exact, by_alias, by_core, by_slip, unknown], how="diagonal_relaxed")


def _party_org_facts(entities: pl.DataFrame) -> pl.DataFrame:
    squeezed = {
        c: squeeze_text(pl.col(c))
        for c in ("party_org_type", "mode", "status")
        if c in entities.columns
    }
    return entities.with_columns(
        type=squeezed["party_org_type"].replace_strict(PARTY_ORG_TYPES, default=None),
        mode_code=squeezed["mode"].replace_strict(MODES, default=None),
        active=squeezed["status"].fill_null("正常") != "撤销",
        unit_count=pl.col("unit_org_ids").list.len(),
    )
