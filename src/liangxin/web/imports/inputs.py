"""What the engine runs on besides the files: stored rows, confirmed matches, corrected facts."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Q

from liangxin.web.dispatch.facts import AssignmentFact, assignment_facts
from liangxin.web.imports.pipeline import Correction, Fact, PartyOrgFact
from liangxin.web.imports.specs import current_records
from liangxin.web.matches.models import MatchDecision
from liangxin.web.orgs.models import SurveyFact
from liangxin.web.partyorgs.models import PartyOrgFact as StoredPartyOrgFact


def stored_records() -> dict[str, dict[str, Any]]:
    """Every stored source row in its row form, by key: what the engine runs on, and what a
    preview compares the proposed rows with (read once for both)."""
    return dict(current_records())


def engine_rows(
    records: dict[str, dict[str, Any]], exclude_files: Collection[str] = frozenset()
) -> list[dict[str, Any]]:
    """The engine's input: ``records`` with their keys, those of ``exclude_files`` left out."""
    return [
        {"key": key, **row}
        for key, row in records.items()
        if row["source_file"] not in exclude_files
    ]


def decisions_in_effect(batch=None, include_pending: bool = False):
    """Applied decisions, plus those of ``batch``, plus (if asked) those not yet applied."""
    q = Q(applied=True)
    if batch is not None:
        q |= Q(batch=batch)
    if include_pending or batch is not None:
        q |= Q(batch__isnull=True, applied=False)
    return MatchDecision.objects.filter(q)


def corrections(decisions) -> list[Correction]:
    found = []
    for d in decisions.filter(decision=MatchDecision.Decision.CONFIRM):
        file, sheet, row = d.record_key.rsplit("|", 2)
        has_code = bool(d.candidate_credit_code) and d.candidate_org_id == d.candidate_credit_code
        found.append(
            Correction(
                file=file,
                sheet=sheet,
                row=int(row),
                credit_code=d.candidate_credit_code if has_code else None,
                name=None if has_code else d.candidate_name,
            )
        )
    return found


def decided_pairs(decisions) -> set[tuple[str, str]]:
    return set(decisions.values_list("record_key", "candidate_org_id"))


def facts(
    orgs: Collection[int] | None = None,
    party_orgs: Collection[int] | None = None,
    instructors: Collection[str] | None = None,
) -> list[Fact | PartyOrgFact | AssignmentFact]:
    """Survey facts and party-organization values corrected in the browser; instructor
    assignments accepted in the browser. All, or only those of the organizations and party
    organizations with the given primary keys and of the instructors with the given ids."""
    survey_facts = SurveyFact.objects.select_related("org", "set_by")
    party_facts = StoredPartyOrgFact.objects.all()
    if orgs is not None:
        survey_facts = survey_facts.filter(org_id__in=orgs)
    if party_orgs is not None:
        party_facts = party_facts.filter(party_org_id__in=party_orgs)
    survey = [
        Fact(
            org_id=f.org.org_id,
            field=f.field,
            value=f.value,
            source=f.source,
        )
        for f in survey_facts
    ]
    party = [
        PartyOrgFact(entity_id=entity_id, field=field, value=value)
        for entity_id, field, value in party_facts.values_list(
            "party_org__entity_id", "field", "value"
        )
    ]
    return survey + party + assignment_facts(instructors)
