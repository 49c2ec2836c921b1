"""People's corrections, kept outside the source files, as one step of the engine run.

Before linking, a confirmed match gives a source row the candidate's credit code (or name).
After linking and value precedence, a corrected survey fact replaces an organization's value, a
corrected party-organization value replaces the extract's, and an accepted assignment adds an
organization to an instructor's units. Plain data in, frames out: where the corrections are kept
(the web's database) is the caller's business.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from liangxin.engine.labels import MODE_LABELS, TYPE_LABELS
from liangxin.engine.reconcile import Reconciled
from liangxin.engine.schema import Kind

SOURCE_ROW = ["source_file", "source_sheet", "source_row"]


@dataclass(frozen=True)
class MatchCorrection:
    """A confirmed match: the row gets the candidate's credit code, or else its name."""

    file: str
    sheet: str
    row: int
    credit_code: str | None
    name: str | None


@dataclass(frozen=True)
class OrgFact:
    """A survey fact corrected by a person; wins over every department's value."""

    org_id: str
    field: str
    value: Any
    source: str


@dataclass(frozen=True)
class PartyOrgFact:
    """A party organization's value corrected by a person (type, mode, members, secretary,
    founded date or units); wins over the party organization extract."""

    entity_id: str
    field: str
    value: Any


@dataclass(frozen=True)
class Assignment:
    """An accepted instructor assignment: the organization joins the instructor's units."""

    entity_id: str  # the instructor
    org_id: str


@dataclass(frozen=True)
class Overrides:
    matches: Sequence[MatchCorrection] = ()
    org_facts: Sequence[OrgFact] = ()
    party_org_facts: Sequence[PartyOrgFact] = ()
    assignments: Sequence[Assignment] = ()


NO_OVERRIDES = Overrides()


def correct_records(
    records: dict[Kind, pl.DataFrame], matches: Sequence[MatchCorrection]
) -> dict[Kind, pl.DataFrame]:
    """Confirmed matches written into the source rows they decide, before linking."""
    if not matches:
        return records
    fixes = pl.DataFrame(
        {
            "source_file": [c.file for c in matches],
            "source_sheet": [c.sheet for c in matches],
            "source_row": [c.row for c in matches],
            "_code": [c.credit_code for c in matches],
            "_name": [c.name for c in matches],
        },
        schema={
            "source_file": pl.String,
            "source_sheet": pl.String,
            "source_row": pl.Int64,
            "_code": pl.String,
            "_name": pl.String,
        },
    ).unique(SOURCE_ROW, keep="last")
    out = {}
    for kind, frame in records.items():
        if "credit_code" not in frame.columns or "name" not in frame.columns:
            out[kind] = frame
            continue
        joined = frame.join(fixes, on=SOURCE_ROW, how="left")
        out[kind] = joined.with_columns(
            credit_code=pl.coalesce("_code", "credit_code"),
            name=pl.coalesce("_name", "name"),
        ).drop("_code", "_name")
    return out


def override_reconciled(reconciled: Reconciled, overrides: Overrides) -> Reconciled:
    """Corrected values and accepted assignments over the reconciled county, before screening."""
    reconciled = dataclasses.replace(
        reconciled, orgs=_org_facts(reconciled.orgs, overrides.org_facts)
    )
    reconciled = _party_org_facts(reconciled, overrides.party_org_facts)
    return _assignments(reconciled, overrides.assignments)


def _org_facts(orgs: pl.DataFrame, facts: Sequence[OrgFact]) -> pl.DataFrame:
    """Corrected survey facts replace the reconciled values and cite who set them."""
    by_field: dict[str, list[OrgFact]] = {}
    for fact in facts:
        by_field.setdefault(fact.field, []).append(fact)
    for field, field_facts in by_field.items():
        dtype = orgs.schema[field]
        given = pl.DataFrame(
            {
                "org_id": [f.org_id for f in field_facts],
                "_value": [f.value for f in field_facts],
                "_source": [f.source for f in field_facts],
            },
            schema={"org_id": pl.String, "_value": dtype, "_source": pl.String},
            strict=False,
        )
        orgs = (
            orgs.join(given.with_columns(_set=pl.lit(True)), on="org_id", how="left")
            .with_columns(
                pl.when(pl.col("_set"))
                .then(pl.col("_value"))
                .otherwise(pl.col(field))
                .alias(field),
                pl.when(pl.col("_set"))
                .then(pl.col("_source"))
                .otherwise(pl.col(f"{field}_source"))
                .alias(f"{field}_source"),
            )
            .drop("_value", "_source", "_set")
        )
    return orgs


def _party_org_columns(fact: PartyOrgFact) -> dict[str, Any]:
    """The engine columns a corrected party-organization value sets."""
    value = fact.value
    if fact.field == "type":
        return {"type": value, "party_org_type": TYPE_LABELS.get(value)}
    if fact.field == "mode":
        return {"mode_code": value, "mode": MODE_LABELS.get(value)}
    if fact.field in ("formal_members", "probationary_members"):
        # the extract's own total no longer holds: the total is formal + probationary
        return {fact.field: value, "members": None}
    if fact.field == "founded_on":
        return {"founded_on": datetime.date.fromisoformat(value) if value else None}
    if fact.field == "units":
        units = sorted(value or [])
        return {"unit_org_ids": units, "unit_count": len(units), "unresolved_units": []}
    return {fact.field: value}


PARTY_ORG_DTYPES = {
    "type": pl.String,
    "party_org_type": pl.String,
    "mode_code": pl.String,
    "mode": pl.String,
    "formal_members": pl.Int64,
    "probationary_members": pl.Int64,
    "members": pl.Int64,
    "secretary": pl.String,
    "founded_on": pl.Date,
    "unit_org_ids": pl.List(pl.String),
    "unit_count": pl.Int64,
    "unresolved_units": pl.List(pl.String),
}


def _party_org_facts(reconciled: Reconciled, facts: Sequence[PartyOrgFact]) -> Reconciled:
    """Corrected party-organization values replace the extract's. Units set by a person
    replace the units the extract named (resolved or not), so its unit references go too."""
    entities = reconciled.entities.get(Kind.PARTY_ORG)
    if entities is None or not facts:
        return reconciled
    values: dict[str, dict[str, Any]] = {}
    for fact in facts:
        for column, value in _party_org_columns(fact).items():
            values.setdefault(column, {})[fact.entity_id] = value
    for column, by_entity in values.items():
        dtype = entities.schema.get(column, PARTY_ORG_DTYPES[column])
        if column not in entities.columns:
            entities = entities.with_columns(pl.lit(None, dtype).alias(column))
        given = pl.DataFrame(
            {"entity_id": list(by_entity), "_value": list(by_entity.values())},
            schema={"entity_id": pl.String, "_value": dtype},
            strict=False,
        ).with_columns(_set=pl.lit(True))
        entities = (
            entities.join(given, on="entity_id", how="left")
            .with_columns(
                pl.when(pl.col("_set"))
                .then(pl.col("_value"))
                .otherwise(pl.col(column))
                .alias(column)
            )
            .drop("_value", "_set")
        )
    unit_refs = reconciled.unit_refs
    edited_units = list(values.get("unit_org_ids", {}))
    if edited_units:
        unit_refs = unit_refs.filter(~pl.col("entity_id").is_in(edited_units))
    return dataclasses.replace(
        reconciled,
        entities={**reconciled.entities, Kind.PARTY_ORG: entities},
        unit_refs=unit_refs,
    )


def _assignments(reconciled: Reconciled, assignments: Sequence[Assignment]) -> Reconciled:
    """The instructors' units, plus the organizations assigned by a person."""
    instructors = reconciled.entities.get(Kind.INSTRUCTOR)
    if instructors is None or not assignments:
        return reconciled
    added = (
        pl.DataFrame(
            {
                "entity_id": [a.entity_id for a in assignments],
                "_org": [a.org_id for a in assignments],
            },
            schema={"entity_id": pl.String, "_org": pl.String},
        )
        .group_by("entity_id")
        .agg(_added=pl.col("_org"))
    )
    instructors = (
        instructors.join(added, on="entity_id", how="left")
        .with_columns(
            unit_org_ids=pl.concat_list(
                pl.col("unit_org_ids").fill_null([]), pl.col("_added").fill_null([])
            ).list.unique(maintain_order=True)
        )
        .drop("_added")
    )
    entities = {**reconciled.entities, Kind.INSTRUCTOR: instructors}
    return dataclasses.replace(reconciled, entities=entities)
