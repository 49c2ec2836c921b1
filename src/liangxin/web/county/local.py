"""Re-screen only the part of the county an edit can reach (docs/performance.md §3).

A corrected survey fact or party-organization value, or an accepted instructor assignment,
cannot change how source rows are linked, only what the engine derives from them, and the
engine derives in two steps:

- an organization's results depend on its own rows and facts and on the own values of its
  party organizations, instructors and parks (never on another organization);
- a party organization's, instructor's or park's results (structure findings, 镇街, capacity,
  park task) depend on its own values and on the results of all its units.

So the organizations an edit changes are the edited ones and the units of the edited entities;
the entities it changes are the edited ones and those of the changed organizations. Those
entities are written, and so all their units are screened too (``Part.orgs``); screening those
needs their entities' own rows (``Part.read``), but not these entities' other units. The
engine runs on that part's source rows and facts with the county's region words
(``CountyWords``), and its result is compared with the written objects only: a partial result
is never read as "everything else was removed".

Parks are the exception, because a park may hold thousands of units and its only result is
its 100 % task, which counts its units in scope and covered: when an organization of the part
changes one of those three flags, its parks' tasks are counted again from the other units'
stored flags and the part's new ones (``park_tasks``); the other units are not screened.

``None`` from ``reach``, ``run`` or ``compare`` means: screen the whole county instead (the
part is too large, the county's words are unknown, or the part, run alone, links a row or a
unit differently than the database holds it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from liangxin.engine import Run
from liangxin.engine.reconcile.overrides import MatchCorrection
from liangxin.engine.screen.links import park_table
from liangxin.engine.screen.tasks import build_tasks
from liangxin.web.assign.models import Assignment
from liangxin.web.core.bulk import chunks
from liangxin.web.county import inputs
from liangxin.web.county.diff import diff
from liangxin.web.county.models import Change, CountyWords
from liangxin.web.county.proposal import Proposal, Rows, record_rows
from liangxin.web.county.records import to_frames
from liangxin.web.county.run import run_county
from liangxin.web.county.specs import INSTRUCTOR, ORG, PARK, PARTY_ORG, RECORD, current_records
from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.models import Org
from liangxin.web.parks.models import Park
from liangxin.web.partyorgs.models import PartyOrg
from liangxin.web.review.models import MatchDecision
from liangxin.web.sources.models import SourceRecord

# Above this many organizations the whole county is screened (it also keeps every ``__in``
# list below SQLite's limit on query parameters).
LIMIT = 20_000
CHUNK = 5000

PARTY_UNITS = PartyOrg.units.through
INSTRUCTOR_UNITS = Instructor.orgs.through
PARK_UNITS = Park.units.through


@dataclass
class Entities:
    """Primary keys of party organizations, instructors and parks."""

    party_orgs: set[int] = field(default_factory=set)
    instructors: set[int] = field(default_factory=set)
    parks: set[int] = field(default_factory=set)

    def __or__(self, other: Entities) -> Entities:
        return Entities(
            self.party_orgs | other.party_orgs,
            self.instructors | other.instructors,
            self.parks | other.parks,
        )


@dataclass
class Part:
    orgs: set[int]  # screened and written
    written: Entities  # screened and written: all their units are in ``orgs``
    read: Entities  # every entity of ``orgs`` (their own values count), ``written`` included


def _linked(model, column: str, values: set[int], wanted: str) -> set[int]:
    if not values:
        return set()
    found = model.objects.filter(**{f"{column}__in": values}).values_list(wanted, flat=True)
    return set(found) - {None}


def _entities_of(orgs: set[int]) -> Entities:
    return Entities(
        _linked(PARTY_UNITS, "org_id", orgs, "partyorg_id"),
        _linked(INSTRUCTOR_UNITS, "org_id", orgs, "instructor_id")
        | _linked(Assignment, "org_id", orgs, "instructor_id"),
        _linked(PARK_UNITS, "org_id", orgs, "park_id"),
    )


def _units_of(entities: Entities) -> set[int]:
    return (
        _linked(PARTY_UNITS, "partyorg_id", entities.party_orgs, "org_id")
        | _linked(INSTRUCTOR_UNITS, "instructor_id", entities.instructors, "org_id")
        | _linked(Assignment, "instructor_id", entities.instructors, "org_id")
        | _linked(PARK_UNITS, "park_id", entities.parks, "org_id")
    )


def _pks(model, ids: list[str], column: str) -> set[int]:
    return set(model.objects.filter(**{f"{column}__in": ids}).values_list("pk", flat=True))


def reach(seeds: dict[str, list[str]]) -> Part | None:
    """The part of the county the edited objects reach; ``None`` if it holds no organization
    or more than ``LIMIT``. ``seeds`` also name the organizations an edit took a party
    organization away from (the database no longer links them). Its parks are read, never
    written (see ``park_tasks``)."""
    edited = Entities(
        _pks(PartyOrg, seeds["party_orgs"], "entity_id"),
        _pks(Instructor, seeds["instructors"], "entity_id"),
    )
    changed = _pks(Org, seeds["orgs"], "org_id") | _units_of(edited)
    if len(changed) > LIMIT:
        return None
    found = _entities_of(changed)
    written = edited | Entities(found.party_orgs, found.instructors)
    orgs = changed | _units_of(written)
    if not orgs or len(orgs) > LIMIT:  # none: the edited objects are gone, or have no units
        return None
    return Part(orgs, written, written | found | _entities_of(orgs - changed))


@dataclass
class Local:
    """The engine's run on one part of the county, and the part as stored."""

    part: Part
    outcome: Run
    stored: dict[str, Rows]  # of every object the run reads
    written: dict[str, set[str]]  # per entity model: the keys of the entities written
    assigned: dict[str, set[str]]  # instructor entity_id → org_ids assigned in the browser


def _entity_ids(model, pks: set[int]) -> dict[int, str]:
    return dict(model.objects.filter(pk__in=pks).values_list("pk", "entity_id"))


def _records(part: Part, entity_ids: list[str]) -> dict[str, dict[str, Any]]:
    org_pks = sorted(part.orgs)
    rows = {}
    for chunk in chunks(org_pks, CHUNK):
        rows.update(current_records(SourceRecord.objects.filter(org_id__in=chunk)))
    for chunk in chunks(entity_ids, CHUNK):
        rows.update(current_records(SourceRecord.objects.filter(entity_id__in=chunk)))
    return rows


def _corrections(keys: list[str]) -> list[MatchCorrection]:
    found = []
    for chunk in chunks(keys, CHUNK):
        found += inputs.corrections(
            MatchDecision.objects.filter(applied=True, record_key__in=chunk)
        )
    return found


def run(part: Part) -> Local | None:
    """The engine on the part's source rows, facts and confirmed matches; ``None`` when the
    county's words are not known (no full run since this version)."""
    county = CountyWords.current()
    if county is None:
        return None
    party = _entity_ids(PartyOrg, part.read.party_orgs)
    instructors = _entity_ids(Instructor, part.read.instructors)
    parks = _entity_ids(Park, part.read.parks)
    records = _records(part, sorted({*party.values(), *instructors.values(), *parks.values()}))
    overrides = inputs.overrides(None, part.orgs, part.read.party_orgs, instructors.values())
    overrides = dataclasses.replace(overrides, matches=_corrections(sorted(records)))
    outcome = run_county(
        to_frames(records.values()),
        overrides,
        {"prefixes": county.prefixes, "words": county.words},
    )
    assigned: dict[str, set[str]] = {}
    for assignment in overrides.assignments:
        assigned.setdefault(assignment.entity_id, set()).add(assignment.org_id)
    stored = {
        ORG.name: dict(ORG.current_rows(sorted(part.orgs))),
        PARTY_ORG.name: dict(PARTY_ORG.current_rows(sorted(part.read.party_orgs))),
        INSTRUCTOR.name: dict(INSTRUCTOR.current_rows(sorted(part.read.instructors))),
        PARK.name: dict(PARK.current_rows(sorted(part.read.parks))),
        RECORD.name: records,
    }
    written = {
        PARTY_ORG.name: {party[pk] for pk in part.written.party_orgs},
        INSTRUCTOR.name: {instructors[pk] for pk in part.written.instructors},
        PARK.name: set(),  # a part never writes a park, only its task (``park_tasks``)
    }
    return Local(part, outcome, stored, written, assigned)


def _same_links(local: Local, proposal: dict[str, Rows]) -> bool:
    """Whether the part, run alone, links rows and units as the database holds them: the
    same objects, every row to the same organization and entity, every written entity to the
    same units and every other entity to the same units among the part's organizations
    (those assigned in the browser aside)."""
    stored = local.stored
    if any(set(proposal[name]) != set(stored[name]) for name in stored):
        return False
    if proposal[RECORD.name] != stored[RECORD.name]:
        return False
    orgs = set(stored[ORG.name])
    for spec in (PARTY_ORG, INSTRUCTOR, PARK):
        for key, row in proposal[spec.name].items():
            before = stored[spec.name][key]
            assigned = local.assigned.get(key, set()) if spec is INSTRUCTOR else set()
            units, were = set(row["units"]) - assigned, set(before["units"]) - assigned
            if key not in local.written[spec.name]:
                units, were = units & orgs, were & orgs
            elif row["unresolved_units"] != before["unresolved_units"]:
                return False
            if units != were:
                return False
    return True


def compare(local: Local, proposed: Proposal) -> list[Change] | None:
    """The changes the part's run makes to the objects it writes; ``None`` if it links
    differently."""
    proposal = {spec.name: proposed.all_rows(spec) for spec in (ORG, PARTY_ORG, INSTRUCTOR, PARK)}
    read = {key: row["values"] for key, row in local.stored[RECORD.name].items()}
    proposal[RECORD.name] = record_rows(proposed.frames[RECORD.name], read)
    if not _same_links(local, proposal):
        return None
    # Doubtful matches depend on the whole county and no edit here changes them.
    for key, row in proposal[ORG.name].items():
        row["needs_review"] = local.stored[ORG.name][key]["needs_review"]
    changes = diff(ORG, local.stored[ORG.name], proposal[ORG.name])[0]
    for spec in (PARTY_ORG, INSTRUCTOR, PARK):
        keys = local.written[spec.name]
        stored = {k: local.stored[spec.name][k] for k in keys}
        changes += diff(spec, stored, {k: proposal[spec.name][k] for k in keys})[0]
    return changes


def moved_parks(changes: list[Change]) -> dict[int, str]:
    """The parks (pk → entity id) of the organizations whose scope or coverage changes: their
    100 % tasks may change."""
    flags = {"in_scope", "org_covered", "work_covered"}
    moved = [
        c.key
        for c in changes
        if c.model == ORG.name and flags & {name for name, _, _ in c.changed_fields()}
    ]
    if not moved:
        return {}
    parks = PARK_UNITS.objects.filter(org__org_id__in=moved).values_list("park_id", flat=True)
    return _entity_ids(Park, set(parks))


UNIT_FLAGS = {
    "org_id": pl.String,
    "in_scope": pl.Boolean,
    "org_covered": pl.Boolean,
    "work_covered": pl.Boolean,
}


def park_tasks(local: Local, parks: dict[int, str]) -> pl.DataFrame:
    """The open 100 % tasks of ``parks``, from their stored units and unit flags (the part's
    own organizations with the flags the run gives them); the park's name, 镇街 and source
    come from the run, which read its rows."""
    units = pl.DataFrame(
        list(PARK_UNITS.objects.filter(park_id__in=parks).values_list(
            "park__entity_id", "org__org_id", "org__in_scope", "org__org_covered",
            "org__work_covered",
        )),
        schema={"entity_id": pl.String, **UNIT_FLAGS},
        orient="row",
    )  # fmt: skip
    screened = local.outcome.screened
    fresh = screened.orgs.select(UNIT_FLAGS.keys()).cast(UNIT_FLAGS)
    flags = pl.concat([
        units.select(UNIT_FLAGS.keys()).unique("org_id").join(fresh, on="org_id", how="anti"),
        fresh,
    ])  # fmt: skip
    stored_units = units.group_by("entity_id").agg(unit_org_ids="org_id")
    park_rows = (
        park_table(local.outcome.reconciled)
        .filter(pl.col("entity_id").is_in(list(parks.values())))
        .drop("unit_org_ids")
        .join(stored_units, on="entity_id")
    )
    return build_tasks(flags, park_rows, screened.policy, screened.as_of, subjects={"parks"})


def part_tasks(local: Local, parks: dict[int, str]) -> tuple[pl.DataFrame, set[str]]:
    """The open tasks the part decides and every task id it decides: those of its
    organizations and of ``parks`` (never the county's own)."""
    orgs = local.stored[ORG.name]
    ids = set()
    for task in local.outcome.screened.policy.calendar.tasks:
        if task.subject == "county":
            continue
        subjects = parks.values() if task.subject == "parks" else orgs
        ids.update(f"{task.kind}:{subject}" for subject in subjects)
    # the run's own park tasks count only the part's units
    org_tasks = local.outcome.screened.tasks.filter(
        pl.col("task_id").is_in(list(ids)) & (pl.col("subject") != "park")
    )
    if not parks:
        return org_tasks, ids
    return pl.concat([org_tasks, park_tasks(local, parks)], how="vertical_relaxed"), ids
