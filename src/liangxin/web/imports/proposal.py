"""The engine's result as rows per model (see ``specs``): what the database should hold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import polars as pl

from liangxin.engine.schema import Kind
from liangxin.web.audit.actions import jsonable
from liangxin.web.imports.pipeline import Outcome
from liangxin.web.imports.specs import INSTRUCTOR, ORG, PARK, PARTY_ORG, RECORD, Spec
from liangxin.web.sources.models import record_key, source_ref

Rows = dict[str, dict[str, Any]]


def propose(outcome: Outcome) -> dict[str, Rows]:
    orgs = outcome.screened.orgs
    town_of = dict(zip(orgs["org_id"], orgs["town"], strict=True))
    entities = outcome.reconciled.entities
    return {
        ORG.name: _org_rows(orgs),
        PARTY_ORG.name: _entity_rows(
            PARTY_ORG,
            _with_findings(entities.get(Kind.PARTY_ORG), outcome.screened.party_orgs),
            town_of,
            {
                "name": "party_org_name",
                "type_text": "party_org_type",
                "mode": "mode_code",
                "mode_text": "mode",
            },
        ),
        INSTRUCTOR.name: _entity_rows(
            INSTRUCTOR,
            _with_findings(entities.get(Kind.INSTRUCTOR), outcome.screened.instructors),
            town_of,
            {},
        ),
        PARK.name: _entity_rows(PARK, entities.get(Kind.PARK), town_of, {"name": "park_name"}),
        RECORD.name: _record_rows(outcome),
    }


def _json_ready(frame: pl.DataFrame, fields: Iterable[str]) -> pl.DataFrame:
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
    for proposed, cited in zip(_json_ready(orgs, fields).to_dicts(), sources, strict=True):
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


def _entity_rows(
    spec: Spec, frame: pl.DataFrame | None, town_of: dict[str, str], renames: dict[str, str]
) -> Rows:
    if frame is None:
        return {}
    rows = {}
    for row in frame.to_dicts():
        units = sorted(row.get("unit_org_ids") or [])
        proposed = {}
        for field in spec.fields:
            value = row.get(renames.get(field, field))
            if field == "unresolved_units":
                value = "、".join(value or [])
            proposed[field] = jsonable(value)
        if spec is PARTY_ORG:
            proposed["town"] = _common_town(units, town_of)
        proposed["units"] = units
        rows[row["entity_id"]] = proposed
    return rows


def _common_town(units: list[str], town_of: dict[str, str]) -> str | None:
    """A party organization belongs to the 镇街 of its units when they share one."""
    towns = Counter(town_of.get(u) for u in units)
    return next(iter(towns)) if len(towns) == 1 else None


def _record_rows(outcome: Outcome) -> Rows:
    links = outcome.reconciled.links
    org_of = {
        record_key(f, s, r): o
        for f, s, r, o in links.select(
            "source_file", "source_sheet", "source_row", "org_id"
        ).iter_rows()
    }
    entity_of = {}
    refs = outcome.reconciled.unit_refs.select(
        "source_file", "source_sheet", "source_row", "entity_id"
    )
    for f, s, r, e in refs.iter_rows():
        entity_of.setdefault(record_key(f, s, r), e)
    for frame in outcome.reconciled.entities.values():
        for f, s, r, e in frame.select(
            "source_file", "source_sheet", "source_row", "entity_id"
        ).iter_rows():
            entity_of[record_key(f, s, r)] = e
    rows = {}
    for row in outcome.rows:
        key = row["key"]
        rows[key] = {
            "kind": row["kind"],
            "source_file": row["source_file"],
            "source_sheet": row["source_sheet"],
            "source_row": row["source_row"],
            "values": row["values"],
            "org_id": org_of.get(key),
            "entity_id": entity_of.get(key, ""),
        }
    return rows


def review_rows(outcome: Outcome, decided: set[tuple[str, str]]) -> list[dict[str, Any]]:
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
