"""Run the engine on the stored rows (plus an upload being previewed), with people's decisions.

Stored rows, confirmed matches and corrected survey facts go in; the engine's reconciled and
screened county comes out. Nothing here writes to the database.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from liangxin.engine.outputs.ledger import MODE_LABELS, TYPE_LABELS
from liangxin.engine.reconcile import Reconciled, reconcile
from liangxin.engine.records import complete_records
from liangxin.engine.schema import Kind
from liangxin.engine.screen import Screened, screen
from liangxin.web.core.policy import as_of, current_policy
from liangxin.web.dispatch.facts import AssignmentFact, apply_assignments


@dataclass(frozen=True)
class Correction:
    """A confirmed match: the row gets the candidate's credit code, or else its name."""

    file: str
    sheet: str
    row: int
    credit_code: str | None
    name: str | None


@dataclass(frozen=True)
class Fact:
    """A survey fact corrected in the browser; wins over every department's value."""

    org_id: str
    field: str
    value: Any
    source: str


@dataclass(frozen=True)
class PartyOrgFact:
    """A party organization's value corrected in the browser (type, mode, members, secretary,
    founded date or units); wins over the party organization extract."""

    entity_id: str
    field: str
    value: Any


@dataclass
class Outcome:
    frames: dict[Kind, pl.DataFrame]  # the source rows the engine ran on, typed
    reconciled: Reconciled
    screened: Screened


def run_engine(
    frames: dict[Kind, pl.DataFrame],
    corrections: Iterable[Correction] = (),
    facts: Iterable[Fact | PartyOrgFact | AssignmentFact] = (),
    county: dict[str, list[str]] | None = None,
) -> Outcome:
    """``frames``: source rows as ``records.to_frames`` types them; ``county`` (see
    ``county_words``) when they are only part of the county."""
    frames = {kind: frame for kind, frame in frames.items() if frame.height}
    region = None if county is None else (county["prefixes"], county["words"])
    reconciled = reconcile(complete_records(apply_corrections(frames, list(corrections))), region)
    facts = list(facts)
    org_facts = [f for f in facts if isinstance(f, Fact)]
    party_facts = [f for f in facts if isinstance(f, PartyOrgFact)]
    reconciled = dataclasses.replace(reconciled, orgs=apply_facts(reconciled.orgs, org_facts))
    reconciled = apply_party_org_facts(reconciled, party_facts)
    assigned = [f for f in facts if isinstance(f, AssignmentFact)]
    reconciled = apply_assignments(reconciled, assigned)
    return Outcome(frames, reconciled, screen(reconciled, current_policy(), as_of()))


def county_words(outcome: Outcome) -> dict[str, list[str]]:
    """What a run on part of the county needs to know of the whole (``CountyWords``)."""
    return {
        "prefixes": outcome.reconciled.region_prefixes,
        "words": outcome.reconciled.region_words,
    }


def apply_corrections(
    frames: dict[Kind, pl.DataFrame], corrections: list[Correction]
) -> dict[Kind, pl.DataFrame]:
    if not corrections:
        return frames
    fixes = pl.DataFrame(
        {
            "source_file": [c.file for c in corrections],
            "source_sheet": [c.sheet for c in corrections],
            "source_row": [c.row for c in corrections],
            "_code": [c.credit_code for c in corrections],
            "_name": [c.name for c in corrections],
        },
        schema={
            "source_file": pl.String,
            "source_sheet": pl.String,
            "source_row": pl.Int64,
            "_code": pl.String,
            "_name": pl.String,
        },
    ).unique(["source_file", "source_sheet", "source_row"], keep="last")
    out = {}
    for kind, frame in frames.items():
        if "credit_code" not in frame.columns or "name" not in frame.columns:
            out[kind] = frame
            continue
        joined = frame.join(fixes, on=["source_file", "source_sheet", "source_row"], how="left")
        out[kind] = joined.with_columns(
            credit_code=pl.coalesce("_code", "credit_code"),
            name=pl.coalesce("_name", "name"),
        ).drop("_code", "_name")
    return out


def apply_facts(orgs: pl.DataFrame, facts: list[Fact]) -> pl.DataFrame:
    """Corrected survey facts replace the reconciled values and cite who set them."""
    by_field: dict[str, list[Fact]] = {}
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


def apply_party_org_facts(reconciled: Reconciled, facts: list[PartyOrgFact]) -> Reconciled:
    """Corrected party-organization values replace the extract's. Units set in the browser
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
