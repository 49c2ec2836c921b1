"""A generated county's ground truth as the engine's reconciled tables, and where the engine's
own reconciliation of the messy extracts differs from it.

``truth_reconciled`` is a perfect reconciliation: screening it must agree with the oracle on
every flag. ``reconciliation_differences`` names, per true organization, every input of the
screening that the end-to-end reconciliation got differently from the truth, so a flag that
disagrees with the oracle is either explained by one of them or is a screening error.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl

from liangxin.engine.reconcile import Reconciled
from liangxin.engine.schema import Kind
from liangxin.engine.screen.inputs import ORG_FIELDS

ACTIVE = "正常"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _ids(cell: str) -> list[str]:
    return [x for x in cell.split(";") if x]


def _blank(cell: str) -> str | None:
    return cell or None


def _number(cell: str, kind: type) -> float | int | None:
    return kind(cell) if cell else None


def surveyed_orgs(truth_dir: Path) -> set[str]:
    return {
        r["org_id"]
        for r in _read(truth_dir / "rows.csv")
        if r["kind"] == "survey" and r["expect"] == "link"
    }


def zone_names(truth_dir: Path) -> set[str]:
    return {p["name"] for p in _read(truth_dir / "parks.csv") if p["park_kind"] == "园区"}


def true_inputs(truth_dir: Path) -> dict[str, dict[str, object]]:
    """truth org_id → the reconciled values the screening reads, as the truth has them."""
    surveyed, zones = surveyed_orgs(truth_dir), zone_names(truth_dir)
    inputs = {}
    for org in _read(truth_dir / "orgs.csv"):
        was_surveyed = org["org_id"] in surveyed
        zone = next((p for p in org["parks"].split(";") if p in zones), None)
        inputs[org["org_id"]] = {
            "credit_code": org["credit_code"],
            "name": org["name"],
            "kind": "social_org" if org["kind"] == "social_org" else "enterprise",
            "subtype": _blank(org["subtype"]),
            "legal_form": _blank(org["legal_form"]),
            "reg_status": _blank(org["reg_status"]),
            "town": _blank(org["town"]),
            "operating": _blank(org["operating"]),
            "has_premises": {"true": True, "false": False}.get(org["has_premises"]),
            "employees": _number(org["employees"], int),
            "revenue_wan": _number(org["revenue_wan"], float),
            "tax_status": _blank(org["tax_status"]),
            "survey_formal_members": _number(org["formal_members"], int) if was_surveyed else None,
            "park": zone if was_surveyed else None,
        }
    return inputs


def truth_reconciled(truth_dir: Path) -> Reconciled:
    """The reconciliation a perfect engine would produce, in the engine's shape."""
    inputs = true_inputs(truth_dir)
    source = {f"{field}_source": f"orgs.csv第{i + 2}行" for i, field in enumerate(ORG_FIELDS)}
    orgs = pl.DataFrame(
        [{"org_id": oid, **values, **source} for oid, values in inputs.items()],
        schema_overrides={**ORG_FIELDS, "subtype": pl.String},
    )
    party = [
        {
            "entity_id": p["party_org_id"],
            "party_org_name": p["name"],
            "type": p["type"],
            "mode_code": p["mode"],
            "active": p["status"] == ACTIVE,
            "formal_members": int(p["formal_members"]),
            "probationary_members": int(p["probationary_members"]),
            "members": int(p["formal_members"]) + int(p["probationary_members"]),
            "unit_org_ids": _ids(p["unit_org_ids"]),
            "source": f"party_orgs.csv第{i + 2}行",
        }
        for i, p in enumerate(_read(truth_dir / "party_orgs.csv"))
    ]
    instructors = [
        {
            "entity_id": p["instructor_id"],
            "name": p["name"],
            "full_time": p["full_time"],
            "town": p["town"],
            "unit_org_ids": _ids(p["assigned_org_ids"]),
            "source": f"instructors.csv第{i + 2}行",
        }
        for i, p in enumerate(_read(truth_dir / "instructors.csv"))
    ]
    parks = [
        {
            "entity_id": p["park_id"],
            "park_name": p["name"],
            "park_kind": p["park_kind"],
            "town": p["town"],
            "unit_org_ids": _ids(p["unit_org_ids"]),
            "source": f"parks.csv第{i + 2}行",
        }
        for i, p in enumerate(_read(truth_dir / "parks.csv"))
    ]
    refs = [
        {"entity_id": e["entity_id"], "column": "units", "ref_text": o, "org_id": o}
        for e in party + instructors + parks
        for o in e["unit_org_ids"]
    ]
    lists = {"unit_org_ids": pl.List(pl.String)}
    return Reconciled(
        orgs=orgs,
        links=pl.DataFrame(),
        review=pl.DataFrame(),
        entities={
            Kind.PARTY_ORG: pl.DataFrame(party, schema_overrides=lists).with_columns(
                unit_count=pl.col("unit_org_ids").list.len()
            ),
            Kind.INSTRUCTOR: pl.DataFrame(instructors, schema_overrides=lists),
            Kind.PARK: pl.DataFrame(parks, schema_overrides=lists),
        },
        unit_refs=pl.DataFrame(refs),
        region_prefixes=[],
    )


# --- the end-to-end reconciliation against the truth -----------------------------------------


def _truth_of_rows(truth_dir: Path, expect: str, column: str) -> dict[tuple, str]:
    return {
        (r["source_file"], r["source_sheet"], int(r["source_row"])): r[column]
        for r in _read(truth_dir / "rows.csv")
        if r["expect"] == expect
    }


def engine_orgs(truth_dir: Path, reconciled: Reconciled) -> dict[str, Counter[str]]:
    """truth org_id → how many of its rows went into each engine org."""
    truth_of = _truth_of_rows(truth_dir, "link", "org_id")
    placed: dict[str, Counter[str]] = defaultdict(Counter)
    for file, sheet, row, org_id in reconciled.links.select(
        "source_file", "source_sheet", "source_row", "org_id"
    ).iter_rows():
        if (file, sheet, row) in truth_of:
            placed[truth_of[(file, sheet, row)]][org_id] += 1
    return placed


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) < 0.005
    return a == b


def reconciliation_differences(truth_dir: Path, reconciled: Reconciled) -> dict[str, list[str]]:
    """truth org_id → the screening inputs the engine reconciled differently (empty: none)."""
    placed = engine_orgs(truth_dir, reconciled)
    main = {t: c.most_common(1)[0][0] for t, c in placed.items()}
    truths_in: dict[str, set[str]] = defaultdict(set)
    for t, counter in placed.items():
        for e in counter:
            truths_in[e].add(t)
    truth_of_engine = {e: min(ts) for e, ts in truths_in.items()}

    expected = true_inputs(truth_dir)
    got = {row["org_id"]: row for row in reconciled.orgs.to_dicts()}
    differences: dict[str, list[str]] = {t: [] for t in expected}
    for t, values in expected.items():
        if t not in main:
            differences[t].append("no row linked")
            continue
        if len(placed[t]) > 1 or len(truths_in[main[t]]) > 1:
            differences[t].append("split or merged")
        engine = got[main[t]]
        compared = COMPARED if values["kind"] == "enterprise" else COMPARED - {"legal_form"}
        differences[t] += [f for f in sorted(compared) if not _same(engine[f], values[f])]

    truth_entities = _truth_entities(truth_dir)
    engine_entities = _engine_entities(truth_dir, reconciled, truth_of_engine)
    for entity_id in sorted(set(truth_entities) | set(engine_entities)):
        theirs = truth_entities.get(entity_id, ((), frozenset()))
        ours = engine_entities.get(entity_id, ((), frozenset()))
        for t in _affected(theirs, ours) & set(differences):
            differences[t].append(f"{entity_id[0]}:{entity_id[1]}")
    return differences


def _affected(theirs: Signature, ours: Signature) -> set[str]:
    """The true orgs whose flags an entity the engine got differently can change: those it
    names on one side only; all it names when its attributes differ or it has a single unit
    on either side (whether an org is the *only* unit depends on the others)."""
    (their_attributes, their_units), (our_attributes, our_units) = theirs, ours
    if theirs == ours:
        return set()
    if their_attributes != our_attributes or 1 in (len(their_units), len(our_units)):
        return set(their_units | our_units)
    return set(their_units ^ our_units)


# Reconciled fields the screening reads (name and town only label and group).
COMPARED = {
    "kind",
    "subtype",
    "legal_form",
    "reg_status",
    "operating",
    "has_premises",
    "employees",
    "revenue_wan",
    "tax_status",
    "survey_formal_members",
    "park",
}
Signature = tuple[tuple, frozenset]  # (attributes the screening reads, the units as true orgs)


def _truth_entities(truth_dir: Path) -> dict[tuple[str, str], Signature]:
    entities: dict[tuple[str, str], Signature] = {}
    for p in _read(truth_dir / "party_orgs.csv"):
        if p["status"] == ACTIVE:
            units = frozenset(_ids(p["unit_org_ids"]))
            attributes = (p["type"], int(p["formal_members"]), len(units))
            entities[("party org", p["party_org_id"])] = (attributes, units)
    for i in _read(truth_dir / "instructors.csv"):
        entities[("instructor", i["instructor_id"])] = ((), frozenset(_ids(i["assigned_org_ids"])))
    for p in _read(truth_dir / "parks.csv"):
        if p["park_kind"] == "园区":
            entities[("park", p["park_id"])] = ((), frozenset(_ids(p["unit_org_ids"])))
    return entities


def _engine_entities(
    truth_dir: Path, reconciled: Reconciled, truth_of_engine: dict[str, str]
) -> dict[tuple[str, str], Signature]:
    """The engine's entities keyed by the true entity of their first row."""
    truth_entity_of_row = _truth_of_rows(truth_dir, "ref", "entity_id")
    refs = reconciled.unit_refs
    unresolved = set(refs.filter(pl.col("org_id").is_null())["entity_id"].to_list())
    # how many units a row names: the column (codes or names) naming the most
    named = dict(
        refs.group_by("entity_id", "column")
        .agg(pl.col("ref_text").n_unique())
        .group_by("entity_id")
        .agg(pl.col("ref_text").max())
        .iter_rows()
    )
    kinds = {Kind.PARTY_ORG: "party org", Kind.INSTRUCTOR: "instructor", Kind.PARK: "park"}
    entities: dict[tuple[str, str], Signature] = {}
    for kind, label in kinds.items():
        frame = reconciled.entities.get(kind)
        for e in [] if frame is None else frame.to_dicts():
            if kind is Kind.PARTY_ORG and not e["active"]:
                continue
            if kind is Kind.PARK and e["park_kind"] != "园区":
                continue
            row = (e["source_file"], e["source_sheet"], e["source_row"])
            key = (label, truth_entity_of_row.get(row, e["entity_id"]))
            units = {truth_of_engine.get(o, o) for o in e["unit_org_ids"]}
            if e["entity_id"] in unresolved:
                units.add("unresolved")
            attributes = ()
            if kind is Kind.PARTY_ORG:
                n_named = max(len(e["unit_org_ids"]), named.get(e["entity_id"], 0))
                attributes = (e["type"], e["formal_members"], n_named)
            entities[key] = (attributes, frozenset(units))
    return entities
