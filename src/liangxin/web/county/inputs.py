"""What the engine runs on besides the files: stored rows, and the corrections people made in the
browser (confirmed matches, corrected facts, accepted assignments) as the engine's overrides."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from itertools import islice

import polars as pl
from django.db.models import Q

from liangxin.engine.reconcile.overrides import (
    Assignment,
    MatchCorrection,
    OrgFact,
    Overrides,
    PartyOrgFact,
)
from liangxin.engine.schema import Kind
from liangxin.web.assign.models import Assignment as AcceptedAssignment
from liangxin.web.county.records import to_frames
from liangxin.web.orgs.models import SurveyFact
from liangxin.web.partyorgs.models import PartyOrgFact as StoredPartyOrgFact
from liangxin.web.review.models import MatchDecision
from liangxin.web.sources.keys import parse_record_key, record_key_expr
from liangxin.web.sources.models import SourceRecord


@dataclass
class Stored:
    """The stored source rows, read once: the engine's input and the index a preview compares
    the proposed rows with. No row is held as a dict beyond the chunk being read."""

    frames: dict[Kind, pl.DataFrame]  # typed as the intake types them; excluded files left out
    index: pl.DataFrame  # every stored row: INDEX_SCHEMA, its ``key``, ``kept`` (run on)


INDEX_SCHEMA = {
    "pk": pl.Int64,
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
    "org_id": pl.String,  # the engine's id of the linked organization
    "entity_id": pl.String,
}
READ_CHUNK = 50_000


def stored_rows(exclude_files: Collection[str] = frozenset()) -> Stored:
    """Every stored source row; the rows of ``exclude_files`` (which an upload replaces) are
    indexed but not given to the engine."""
    rows = SourceRecord.objects.values_list(
        "pk", "source_file", "source_sheet", "source_row", "org__org_id", "entity_id",
        "kind", "values", named=True,
    ).iterator(chunk_size=2000)  # fmt: skip
    parts: list[pl.DataFrame] = []
    frames: dict[Kind, list[pl.DataFrame]] = {}
    while chunk := list(islice(rows, READ_CHUNK)):
        parts.append(
            pl.DataFrame([r[: len(INDEX_SCHEMA)] for r in chunk], INDEX_SCHEMA, orient="row")
        )
        engine = (r._asdict() for r in chunk if r.source_file not in exclude_files)
        for kind, frame in to_frames(engine).items():
            frames.setdefault(kind, []).append(frame)
    index = pl.concat(parts) if parts else pl.DataFrame(schema=INDEX_SCHEMA)
    return Stored(
        {kind: pl.concat(part) for kind, part in frames.items()},
        index.with_columns(
            key=record_key_expr(), kept=~pl.col("source_file").is_in(list(exclude_files))
        ),
    )


def decisions_in_effect(batch=None, include_pending: bool = False):
    """Applied decisions, plus those of ``batch``, plus (if asked) those not yet applied."""
    q = Q(applied=True)
    if batch is not None:
        q |= Q(batch=batch)
    if include_pending or batch is not None:
        q |= Q(batch__isnull=True, applied=False)
    return MatchDecision.objects.filter(q)


def corrections(decisions) -> list[MatchCorrection]:
    found = []
    for d in decisions.filter(decision=MatchDecision.Decision.CONFIRM):
        file, sheet, row = parse_record_key(d.record_key)
        has_code = bool(d.candidate_credit_code) and d.candidate_org_id == d.candidate_credit_code
        found.append(
            MatchCorrection(
                file=file,
                sheet=sheet,
                row=row,
                credit_code=d.candidate_credit_code if has_code else None,
                name=None if has_code else d.candidate_name,
            )
        )
    return found


def decided_pairs(decisions) -> set[tuple[str, str]]:
    return set(decisions.values_list("record_key", "candidate_org_id"))


def overrides(
    decisions=None,
    orgs: Collection[int] | None = None,
    party_orgs: Collection[int] | None = None,
    instructors: Collection[str] | None = None,
) -> Overrides:
    """The confirmed matches of ``decisions``; survey facts and party-organization values
    corrected in the browser; instructor assignments accepted in the browser. All, or only
    those of the organizations and party organizations with the given primary keys and of the
    instructors with the given ids."""
    survey_facts = SurveyFact.objects.select_related("org", "set_by")
    party_facts = StoredPartyOrgFact.objects.all()
    accepted = AcceptedAssignment.objects.all()
    if orgs is not None:
        survey_facts = survey_facts.filter(org_id__in=orgs)
    if party_orgs is not None:
        party_facts = party_facts.filter(party_org_id__in=party_orgs)
    if instructors is not None:
        accepted = accepted.filter(instructor_entity_id__in=instructors)
    return Overrides(
        matches=corrections(decisions) if decisions is not None else (),
        org_facts=[
            OrgFact(org_id=f.org.org_id, field=f.field, value=f.value, source=f.source)
            for f in survey_facts
        ],
        party_org_facts=[
            PartyOrgFact(entity_id=entity_id, field=field, value=value)
            for entity_id, field, value in party_facts.values_list(
                "party_org__entity_id", "field", "value"
            )
        ],
        assignments=[
            Assignment(entity_id=e, org_id=o)
            for e, o in accepted.values_list("instructor_entity_id", "org__org_id")
        ],
    )
