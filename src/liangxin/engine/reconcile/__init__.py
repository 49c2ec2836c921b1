"""Reconciliation: accepted source records → one master record per organization (docs/rules.md §R4)."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from liangxin.engine.reconcile.link import link_records
from liangxin.engine.reconcile.records import add_match_keys, known_towns, stack_records
from liangxin.engine.reconcile.refs import UNIT_REF_SCHEMA, resolve_references
from liangxin.engine.reconcile.resolve import resolve_values
from liangxin.engine.schema import REFERENCE_KINDS, Kind

NOT_FOUND_REASON = "未在登记信息中找到"
NOT_FOUND_SCHEMA = {
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
    "org_id": pl.String,
    "name": pl.String,
    "town": pl.String,
    "reason": pl.String,
    "closest": pl.String,
}


@dataclass
class Reconciled:
    orgs: pl.DataFrame  # one row per master org: canonical values and their sources
    links: pl.DataFrame  # source row → org_id
    review: pl.DataFrame  # doubtful matches, never merged
    entities: dict[Kind, pl.DataFrame]  # party orgs, instructors, parks with unit_org_ids
    unit_refs: pl.DataFrame  # every unit named by a party org, instructor or park row
    region_prefixes: list[str]  # region names that prefix organization names (临沭县, 临沂…)
    region_words: list[str] = field(default_factory=list)  # every region word seen
    stats: dict[str, int] = field(default_factory=dict)  # candidate pairs per matching step
    # rows without a valid code that match no registered organization (未在登记信息中找到)
    not_found: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=NOT_FOUND_SCHEMA))

    @property
    def county(self) -> str:
        """The county's name as its organizations' names show it, for report titles."""
        for suffix in ("县", "区", "市"):
            for prefix in self.region_prefixes:
                if prefix.endswith(suffix):
                    return prefix
        return ""


def reconcile(
    records: dict[Kind, pl.DataFrame], region: tuple[list[str], list[str]] | None = None
) -> Reconciled:
    """``region`` (prefixes, words) gives the county's region words when ``records`` are only
    part of the county (they are otherwise inferred from the records' names)."""
    keyed, prefixes, words = add_match_keys(stack_records(records), region)
    linked_records = link_records(keyed)
    links, review = linked_records.links, linked_records.review
    linked = keyed.join(links, on="rec_id", how="left", maintain_order="left")
    orgs = resolve_values(linked)
    orgs = orgs.with_columns(
        needs_review=pl.col("org_id").is_in(linked.join(review, on="rec_id")["org_id"].implode())
    )

    org_names = (
        linked.select("org_id", "name_key", "match_key", "full_key", "core", forms="name_forms")
        .unique(["org_id", "full_key"])
        .join(orgs.select("org_id", "credit_code", "town"), on="org_id")
    )
    entities, refs = {}, []
    for kind in REFERENCE_KINDS:
        if kind in records:
            entities[kind], kind_refs = resolve_references(
                kind, records[kind], org_names, prefixes, words, known_towns(keyed)
            )
            refs.append(kind_refs)
    unit_refs = pl.concat(refs) if refs else pl.DataFrame(schema=UNIT_REF_SCHEMA)

    review_rows = _review_table(linked, review, orgs)
    return Reconciled(
        orgs=orgs,
        links=linked.select("source_file", "source_sheet", "source_row", "org_id", "evidence"),
        review=review_rows,
        entities=entities,
        unit_refs=unit_refs,
        region_prefixes=prefixes,
        region_words=words,
        stats=linked_records.stats,
        not_found=_not_found_table(linked, linked_records.not_found, orgs),
    )


def _not_found_table(
    linked: pl.DataFrame, not_found: pl.DataFrame, orgs: pl.DataFrame
) -> pl.DataFrame:
    """One row per source row found in no register, with its closest registered names."""
    names = orgs.select(candidate_org_id="org_id", _name="name", _code="credit_code")
    closest = (
        not_found.drop_nulls("candidate_org_id")
        .join(names, on="candidate_org_id", how="left")
        .group_by("rec_id")
        .agg(
            closest=pl.format("{}（{}）：{}", "_name", "_code", "evidence").str.join("；"),
        )
    )
    rows = not_found.select("rec_id").unique().join(closest, on="rec_id", how="left")
    return (
        rows.join(linked, on="rec_id")
        .select(
            "source_file",
            "source_sheet",
            "source_row",
            "org_id",
            "name",
            town="town_stated",
            reason=pl.lit(NOT_FOUND_REASON),
            closest=pl.col("closest").fill_null(""),
        )
        .sort("source_file", "source_sheet", "source_row")
    )


def _review_table(linked: pl.DataFrame, review: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    """A person compares the source row with the candidate organization side by side."""
    candidate = orgs.select(
        candidate_org_id="org_id",
        candidate_name="name",
        candidate_credit_code="credit_code",
        candidate_town="town",
    )
    return (
        review.join(linked, on="rec_id")
        .join(candidate, on="candidate_org_id", how="left")
        .select(
            "source_file",
            "source_sheet",
            "source_row",
            "org_id",
            "name",
            "credit_code",
            town="town_stated",
            candidate_org_id="candidate_org_id",
            candidate_name="candidate_name",
            candidate_credit_code="candidate_credit_code",
            candidate_town="candidate_town",
            similarity="similarity",
            reason="reason",
        )
        .sort("source_file", "source_sheet", "source_row", "candidate_org_id")
    )
