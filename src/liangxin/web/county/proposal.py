"""The engine's result as rows per model (see ``specs``): what the database should hold.

The result stays in frames (``Proposal``) and becomes rows (dicts) a slice at a time: a city's
million organizations and three million source rows are never held as dicts all at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from liangxin.engine import Run
from liangxin.engine.schema import Kind
from liangxin.web.audit.actions import jsonable
from liangxin.web.county.specs import INSTRUCTOR, ORG, PARK, PARTY_ORG, RECORD, Spec
from liangxin.web.sources.keys import record_key, record_key_expr
from liangxin.web.sources.models import source_ref

Rows = dict[str, dict[str, Any]]
SOURCE = ["source_file", "source_sheet", "source_row"]
RENAMES = {
    PARTY_ORG.name: {
        "name": "party_org_name",
        "type_text": "party_org_type",
        "mode": "mode_code",
        "mode_text": "mode",
    },
    INSTRUCTOR.name: {},
    PARK.name: {"name": "park_name"},
}


@dataclass
class Proposal:
    """Per model, a frame with a ``key`` column. For ``RECORD``: every source row the engine
    ran on (``kind``, source columns) with the organization and entity it is linked to; its
    values are the ones it was read with, which the caller holds (``record_rows``)."""

    frames: dict[str, pl.DataFrame]

    def rows(self, spec: Spec, frame: pl.DataFrame) -> Rows:
        """The rows of a slice of ``frames[spec.name]`` (an organization or entity model)."""
        return _org_rows(frame) if spec is ORG else _entity_rows(spec, frame)

    def all_rows(self, spec: Spec) -> Rows:
        return self.rows(spec, self.frames[spec.name])


def propose(outcome: Run) -> Proposal:
    orgs = outcome.screened.orgs
    entities = outcome.reconciled.entities
    party_orgs = _with_findings(entities.get(Kind.PARTY_ORG), outcome.screened.party_orgs)
    instructors = _with_findings(entities.get(Kind.INSTRUCTOR), outcome.screened.instructors)
    return Proposal(
        {
            ORG.name: orgs.with_columns(key=pl.col("org_id")),
            PARTY_ORG.name: _keyed(None if party_orgs is None else _with_towns(party_orgs, orgs)),
            INSTRUCTOR.name: _keyed(instructors),
            PARK.name: _keyed(entities.get(Kind.PARK)),
            RECORD.name: _record_links(outcome),
        }
    )


def record_rows(links: pl.DataFrame, values: dict[str, dict[str, Any]]) -> Rows:
    """The rows of a slice of the proposal's ``RECORD`` frame, with their ``values`` by key."""
    return {
        row["key"]: {
            "kind": row["kind"],
            "source_file": row["source_file"],
            "source_sheet": row["source_sheet"],
            "source_row": row["source_row"],
            "values": values[row["key"]],
            "org_id": row["org_id"],
            "entity_id": row["entity_id"],
        }
        for row in links.to_dicts()
    }


def _keyed(entities: pl.DataFrame | None) -> pl.DataFrame:
    if entities is None:
        return pl.DataFrame(schema={"key": pl.String, "entity_id": pl.String})
    return entities.with_columns(key=pl.col("entity_id"))


def json_ready(frame: pl.DataFrame, fields: Iterable[str]) -> pl.DataFrame:
    """``fields`` of ``frame`` (null where it has none) as ``jsonable`` stores them: dates as
    ISO text. Converted by column, not value by value (that was most of a whole-county
    preview's time)."""
    columns = []
    for field in fields:
        dtype = frame.schema.get(field)
        if dtype is None:
            columns.append(pl.lit(None).alias(field))
        elif dtype == pl.Date:
            columns.append(pl.col(field).dt.strftime("%Y-%m-%d"))
        elif dtype.is_temporal() or (dtype.is_nested() and "Date" in str(dtype)):
            raise TypeError(f"{field}: {dtype} has no JSON form here")
        else:
            columns.append(pl.col(field))
    return frame.select(columns)


def _org_rows(orgs: pl.DataFrame) -> Rows:
    fields = [f for f in ORG.fields if f != "sources"]
    source_columns = [c for c in orgs.columns if c.endswith("_source")]
    sources = orgs.select(source_columns).to_dicts()
    rows = {}
    for proposed, cited in zip(json_ready(orgs, fields).to_dicts(), sources, strict=True):
        proposed["sources"] = {
            c.removesuffix("_source"): source for c, source in cited.items() if source is not None
        }
        rows[proposed["org_id"]] = proposed
    return rows


def _with_findings(entities: pl.DataFrame | None, findings: pl.DataFrame) -> pl.DataFrame | None:
    if entities is None:
        return None
    extra = [c for c in findings.columns if c not in entities.columns or c == "entity_id"]
    return entities.join(findings.select(extra), on="entity_id", how="left")


def _with_towns(party_orgs: pl.DataFrame, orgs: pl.DataFrame) -> pl.DataFrame:
    """A party organization belongs to the 镇街 of its units when they share one."""
    towns = (
        party_orgs.select("entity_id", org_id="unit_org_ids")
        .explode("org_id")
        .join(orgs.select("org_id", "town"), on="org_id", how="left")
        .group_by("entity_id")
        .agg(pl.col("town").unique())
    )
    common = pl.when(pl.col("town").list.len() == 1).then(pl.col("town").list.first())
    return party_orgs.join(
        towns.select("entity_id", _common_town=common),
        on="entity_id",
        how="left",
        maintain_order="left",
    )


def _entity_rows(spec: Spec, frame: pl.DataFrame) -> Rows:
    renames = RENAMES[spec.name]
    rows = {}
    for row in frame.to_dicts():
        proposed = {}
        for field in spec.fields:
            value = row.get(renames.get(field, field))
            if field == "unresolved_units":
                value = "、".join(value or [])
            proposed[field] = jsonable(value)
        if spec is PARTY_ORG:
            proposed["town"] = row["_common_town"]
        proposed["units"] = sorted(row.get("unit_org_ids") or [])
        rows[row["entity_id"]] = proposed
    return rows


def _by_source(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    return frame.select(*SOURCE, column).with_columns(pl.col("source_sheet").fill_null(""))


def _record_links(outcome: Run) -> pl.DataFrame:
    """Every source row the engine ran on, with the organization it links to and the entity
    (party organization, instructor, park) it is a row of or else names as a unit."""
    reconciled = outcome.reconciled
    read = [
        frame.select(*SOURCE, kind=pl.lit(kind.value)) for kind, frame in outcome.records.items()
    ]
    org_of = _by_source(reconciled.links, "org_id").unique(SOURCE, keep="last")
    own = [_by_source(frame, "entity_id") for frame in reconciled.entities.values()]
    named = _by_source(reconciled.unit_refs, "entity_id").unique(
        SOURCE, keep="first", maintain_order=True
    )
    entity_of = pl.concat([*own, named]).unique(SOURCE, keep="first", maintain_order=True)
    schema = {**dict.fromkeys(SOURCE[:2], pl.String), "source_row": pl.Int64, "kind": pl.String}
    return (
        (pl.concat(read) if read else pl.DataFrame(schema=schema))
        .join(org_of, on=SOURCE, how="left", maintain_order="left")
        .join(entity_of, on=SOURCE, how="left", maintain_order="left")
        .with_columns(pl.col("entity_id").fill_null(""), key=record_key_expr())
    )


def review_rows(outcome: Run, decided: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The engine's doubtful matches that nobody has decided yet."""
    items = []
    for row in outcome.reconciled.review.to_dicts():
        key = record_key(row["source_file"], row["source_sheet"], row["source_row"])
        if (key, row["candidate_org_id"]) in decided:
            continue
        items.append(
            {
                "record_key": key,
                "source_ref": source_ref(
                    row["source_file"], row["source_sheet"], row["source_row"]
                ),
                "name": row["name"] or "",
                "credit_code": row["credit_code"] or "",
                "town": row["town"] or "",
                "record_org_id": row["org_id"] or "",
                "candidate_org_id": row["candidate_org_id"],
                "candidate_name": row["candidate_name"] or "",
                "candidate_credit_code": row["candidate_credit_code"] or "",
                "candidate_town": row["candidate_town"] or "",
                "similarity": row["similarity"],
                "reason": row["reason"] or "",
            }
        )
    return items
