"""What the party-organization, instructor and park lists say about each organization.

Adds to every organization: its single party organization (the active party org whose only
unit it is), every active party org covering it, the instructors assigned to it, the 园区 that
list it, and its ``formal_members`` (survey, else its single party org, else unknown).
Columns starting with “_” are explanations for the reasons and are dropped from the output.
"""

from __future__ import annotations

import polars as pl

from liangxin.engine.labels import TYPE_LABELS
from liangxin.engine.normalize.text import squeeze_text
from liangxin.engine.reconcile import Reconciled
from liangxin.engine.schema import Kind
from liangxin.engine.screen.inputs import (
    INSTRUCTOR_COLUMNS,
    PARK_COLUMNS,
    PARTY_ORG_COLUMNS,
    entity_table,
    units_named,
)
from liangxin.engine.screen.wording import LIST_SEPARATOR

# When an org is the only unit of several party orgs, the highest one is its party org.
TYPE_RANK = {"committee": 0, "general_branch": 1, "branch": 2, "joint_branch": 3}
# A park-list entry is a 园区 (not a 楼宇, 商圈, 孵化器 …) when its type says so.
PARK_KIND = r"园区|开发区|工业园|产业园|高新区"

EMPTY_IDS = pl.lit([], dtype=pl.List(pl.String))


def party_org_table(reconciled: Reconciled) -> pl.DataFrame:
    """Party organizations with ``units_named``, ``members_total`` and a ``label`` to cite."""
    party = entity_table(reconciled, Kind.PARTY_ORG, PARTY_ORG_COLUMNS).join(
        units_named(reconciled), on="entity_id", how="left"
    )
    type_label = pl.col("type").replace_strict(TYPE_LABELS, default="类别不详")
    return party.with_columns(
        units_named=pl.max_horizontal("unit_count", pl.col("units_named").fill_null(0)),
        members_total=pl.coalesce(
            "members", pl.col("formal_members") + pl.col("probationary_members")
        ),
        label=pl.format(
            "{}（{}，{}）", pl.col("party_org_name"), type_label, pl.col("source").fill_null("")
        ),
    )


def instructor_table(reconciled: Reconciled) -> pl.DataFrame:
    return entity_table(reconciled, Kind.INSTRUCTOR, INSTRUCTOR_COLUMNS)


def park_table(reconciled: Reconciled) -> pl.DataFrame:
    """The 园区 of the park list (its 楼宇, 商圈 … do not make an organization ``in_park``)."""
    parks = entity_table(reconciled, Kind.PARK, PARK_COLUMNS)
    return parks.filter(squeeze_text(pl.col("park_kind")).str.contains(PARK_KIND).fill_null(False))


def _units(entities: pl.DataFrame) -> pl.DataFrame:
    """One row per (entity, unit org)."""
    return (
        entities.explode("unit_org_ids")
        .rename({"unit_org_ids": "org_id"})
        .filter(pl.col("org_id").is_not_null())
    )


def _single_party_orgs(memberships: pl.DataFrame) -> pl.DataFrame:
    rank = pl.col("type").replace_strict(TYPE_RANK, default=len(TYPE_RANK))
    return (
        memberships.filter((pl.col("units_named") == 1) & (pl.col("unit_count") == 1))
        .sort(rank, "entity_id")
        .unique("org_id", keep="first")
        .select(
            "org_id",
            single_party_org_id="entity_id",
            party_org_type="type",
            _single_formal_members="formal_members",
            _single_source="source",
            _single_label="label",
        )
    )


def _covering(memberships: pl.DataFrame) -> pl.DataFrame:
    return memberships.group_by("org_id").agg(
        party_org_ids=pl.col("entity_id").sort(),
        _covering=pl.col("label").sort().str.join(LIST_SEPARATOR),
    )


def _assigned(instructors: pl.DataFrame) -> pl.DataFrame:
    return (
        _units(instructors)
        .group_by("org_id")
        .agg(
            instructor_ids=pl.col("entity_id").unique().sort(),
            _instructor_sources=pl.col("source").unique().sort().str.join(LIST_SEPARATOR),
        )
    )


def _listed_in_parks(parks: pl.DataFrame) -> pl.DataFrame:
    return (
        _units(parks)
        .group_by("org_id")
        .agg(
            park_ids=pl.col("entity_id").unique().sort(),
            _parks=pl.format("“{}”（{}）", "park_name", pl.col("source").fill_null(""))
            .unique()
            .sort()
            .str.join(LIST_SEPARATOR),
        )
    )


def link_orgs(
    orgs: pl.DataFrame, party: pl.DataFrame, instructors: pl.DataFrame, parks: pl.DataFrame
) -> pl.DataFrame:
    memberships = _units(party.filter(pl.col("active").fill_null(True)))
    linked = (
        orgs.join(_single_party_orgs(memberships), on="org_id", how="left")
        .join(_covering(memberships), on="org_id", how="left")
        .join(_assigned(instructors), on="org_id", how="left")
        .join(_listed_in_parks(parks), on="org_id", how="left")
    )
    survey = pl.col("survey_formal_members")
    single = pl.col("_single_formal_members")
    return linked.with_columns(
        pl.col("party_org_ids", "instructor_ids", "park_ids").fill_null(EMPTY_IDS),
        formal_members=pl.coalesce(survey, single),
        formal_members_source=pl.when(survey.is_not_null())
        .then(pl.col("survey_formal_members_source"))
        .when(single.is_not_null())
        .then(pl.col("_single_source")),
    ).drop("_single_formal_members", "_single_source")
