"""One canonical value per organization and field, chosen by source precedence (docs/rules.md §R4.3).

For every field the sources are ranked; the first non-empty value wins, ties broken by source
order (file, sheet, row) so a build is deterministic. Every value keeps the source row it came
from in ``<field>_source``.
"""

from __future__ import annotations

import polars as pl

from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.reconcile.records import TOWN_PATTERN

# field → [(source kind, source column)], most trusted first.
PRECEDENCE: dict[str, list[tuple[str, str]]] = {
    "name": [
        ("registry", "name"),
        ("social_org", "name"),
        ("survey", "name"),
        ("tax", "name"),
        ("insurance", "name"),
    ],
    "legal_form": [("registry", "legal_form")],
    "org_type": [("social_org", "org_type")],
    "legal_rep": [("registry", "legal_rep"), ("social_org", "legal_rep")],
    "address": [("registry", "address"), ("social_org", "address")],
    "founded_on": [("registry", "founded_on"), ("social_org", "founded_on")],
    "registered_capital_wan": [("registry", "registered_capital_wan")],
    "industry": [("registry", "industry")],
    "supervisor": [("social_org", "supervisor")],
    "reg_status": [("registry", "reg_status"), ("social_org", "reg_status")],
    "town": [("survey", "town_stated"), ("registry", "town_stated"), ("social_org", "town_stated")],
    "employees": [("survey", "employees"), ("insurance", "insured"), ("social_org", "staff")],
    "revenue_wan": [("tax", "revenue_wan"), ("survey", "revenue_wan")],
    "tax_paid_wan": [("tax", "tax_paid_wan")],
    "tax_status": [("tax", "tax_status")],
    "insured": [("insurance", "insured")],
    "insurance_status": [("insurance", "insurance_status")],
    "operating": [("survey", "operating")],
    "has_premises": [("survey", "has_premises")],
    "survey_formal_members": [("survey", "formal_members")],
    "park": [("survey", "park")],
    "building": [("survey", "building")],
    "investor_is_member": [("survey", "investor_is_member")],
    "unbuilt_reason": [("survey", "unbuilt_reason")],
    "mass_orgs": [("survey", "mass_orgs")],
    "lon": [("survey", "lon")],
    "lat": [("survey", "lat")],
    "contact": [("survey", "contact")],
    "phone": [("survey", "phone")],
}

SUBTYPE_BY_ORG_TYPE = {
    "社会团体": "association",
    "民办非企业单位": "service_org",
    "社会服务机构": "service_org",
    "基金会": "foundation",
    "律师事务所": "law_firm",
    "会计师事务所": "accounting_firm",
    "税务师事务所": "tax_agency",
}
SUBTYPE_BY_NAME_SUFFIX = [
    (r"律师事务所(\(.*\))?$", "law_firm"),
    (r"会计师事务所(\(.*\))?$", "accounting_firm"),
    (r"税务师事务所(\(.*\))?$", "tax_agency"),
    (r"基金会$", "foundation"),
    (r"(协会|学会|商会|研究会|联合会|促进会|联谊会|同乡会|校友会)$", "association"),
]
SUBTYPE_BY_CODE_PREFIX = {
    "51": "association",
    "52": "service_org",
    "53": "foundation",
    "31": "law_firm",
}


def source_ref() -> pl.Expr:
    """How a person finds a source row: 文件名［工作表］第12行."""
    sheet = (
        pl.when(pl.col("source_sheet") != "")
        .then(pl.format("［{}］", pl.col("source_sheet")))
        .otherwise(pl.lit(""))
    )
    return pl.format("{}{}第{}行", pl.col("source_file"), sheet, pl.col("source_row"))


def resolve_values(linked: pl.DataFrame) -> pl.DataFrame:
    """One row per org_id with every field of PRECEDENCE and its ``_source``."""
    # Spaces inside a Chinese organization name are typing noise (“华泰 商贸有限公司”).
    linked = linked.with_columns(_ref=source_ref(), name=squeeze_text(pl.col("name")))
    orgs = _identity(linked)
    for field, sources in PRECEDENCE.items():
        orgs = orgs.join(_pick(linked, field, sources), on="org_id", how="left")
    return _classify(orgs).pipe(_town_from_address, linked).sort("org_id")


def _identity(linked: pl.DataFrame) -> pl.DataFrame:
    return linked.group_by("org_id").agg(
        credit_code=pl.col("credit_code").filter(pl.col("code_valid")).first(),
        source_kinds=pl.col("source_kind").unique().sort().str.join(";"),
        source_rows=pl.len(),
    )


def _pick(linked: pl.DataFrame, field: str, sources: list[tuple[str, str]]) -> pl.DataFrame:
    candidates = [
        linked.filter((pl.col("source_kind") == kind) & pl.col(column).is_not_null()).select(
            "org_id",
            "rec_id",
            pl.lit(rank).alias("_rank"),
            pl.col(column).alias(field),
            pl.col("_ref").alias(f"{field}_source"),
        )
        for rank, (kind, column) in enumerate(sources)
        if column in linked.columns
    ]
    candidates = [c for c in candidates if c.height]
    if not candidates:
        return pl.DataFrame(
            schema={"org_id": pl.String, field: pl.String, f"{field}_source": pl.String}
        )
    return (
        pl.concat(candidates, how="vertical_relaxed")
        .sort("_rank", "rec_id")
        .unique("org_id", keep="first", maintain_order=False)
        .drop("_rank", "rec_id")
    )


def _classify(orgs: pl.DataFrame) -> pl.DataFrame:
    """kind and subtype: the 民政 type, else the name's suffix, else the code's prefix."""
    by_name = pl.lit(None, dtype=pl.String)
    for pattern, subtype in reversed(SUBTYPE_BY_NAME_SUFFIX):
        by_name = (
            pl.when(pl.col("name").str.replace_all(r"\s", "").str.contains(pattern))
            .then(pl.lit(subtype))
            .otherwise(by_name)
        )
    subtype = pl.coalesce(
        pl.col("org_type")
        .str.replace_all(r"\s", "")
        .replace_strict(SUBTYPE_BY_ORG_TYPE, default=None),
        by_name,
        pl.col("credit_code").str.slice(0, 2).replace_strict(SUBTYPE_BY_CODE_PREFIX, default=None),
    )
    return orgs.with_columns(subtype=subtype).with_columns(
        kind=pl.when(pl.col("subtype").is_not_null())
        .then(pl.lit("social_org"))
        .otherwise(pl.lit("enterprise"))
    )


def _town_from_address(orgs: pl.DataFrame, linked: pl.DataFrame) -> pl.DataFrame:
    """Last resort for the town: a known 镇街 named in the address."""
    towns = (
        linked.select(pl.col("town_stated").drop_nulls().unique())
        .filter(pl.col("town_stated").str.contains(f"^{TOWN_PATTERN}$"))["town_stated"]
        .to_list()
    )
    if not towns:
        return orgs
    pattern = "(" + "|".join(sorted(towns, key=len, reverse=True)) + ")"
    from_address = pl.col("address").str.extract(pattern, 1)
    return orgs.with_columns(
        town_source=pl.when(pl.col("town").is_null() & from_address.is_not_null())
        .then(pl.format("{}（由住所推断）", pl.col("address_source")))
        .otherwise(pl.col("town_source")),
        town=pl.coalesce(pl.col("town"), from_address),
    )
