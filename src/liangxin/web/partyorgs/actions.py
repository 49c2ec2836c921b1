"""State changes of party organizations."""

from __future__ import annotations

import datetime

from django.db import transaction

from liangxin.engine.labels import MODE_LABELS, TYPE_LABELS
from liangxin.web.audit.actions import Action, log
from liangxin.web.core.models import DataVersion
from liangxin.web.core.permissions import EDIT_PARTY_ORG, require
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.rescreen import request_rescreen, seeds_of
from liangxin.web.orgs.models import Org
from liangxin.web.partyorgs.models import PartyOrg, PartyOrgFact


def unit_ids(party_org: PartyOrg) -> list[str]:
    return sorted(party_org.units.values_list("org_id", flat=True))


def do_set_party_org_facts(user, party_org: PartyOrg, facts: dict[str, object]) -> Job | None:
    """Correct a party organization (type, mode, members, secretary, founded date, units):
    the values win over the extract from now on, and the county is screened again (the
    structure findings, its units' flags and the dashboard follow)."""
    require(user, EDIT_PARTY_ORG, [party_org])
    if not facts:
        return None
    with transaction.atomic():
        party_org = PartyOrg.objects.select_for_update().get(pk=party_org.pk)
        before = {
            name: unit_ids(party_org) if name == "units" else getattr(party_org, name)
            for name in facts
        }
        for name, value in facts.items():
            PartyOrgFact.objects.update_or_create(
                party_org=party_org, field=name, defaults={"value": value, "set_by": user}
            )
            if name == "units":
                units = Org.objects.filter(org_id__in=value)
                party_org.units.set(units)
                party_org.unit_count = len(value)
                party_org.unresolved_units = ""
            elif name == "founded_on":
                party_org.founded_on = datetime.date.fromisoformat(value) if value else None
            else:
                setattr(party_org, name, value)
        if "type" in facts:
            party_org.type_text = TYPE_LABELS.get(party_org.type)
        if "mode" in facts:
            party_org.mode_text = MODE_LABELS.get(party_org.mode)
        if {"formal_members", "probationary_members"} & set(facts):
            formal, probationary = party_org.formal_members, party_org.probationary_members
            party_org.members = None
            both = formal is not None and probationary is not None
            party_org.members_total = formal + probationary if both else None
        party_org.save()
        log(Action.UPDATE, user, party_org, before=before, after=facts, note="修改党组织信息")
        DataVersion.bump()
    # the units it no longer has are screened again too
    seeds = seeds_of(orgs=before.get("units", []), party_orgs=[party_org.entity_id])
    return request_rescreen(user, f"修改党组织“{party_org.name}”后重新筛查", seeds)
