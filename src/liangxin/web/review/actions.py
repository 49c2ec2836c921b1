"""Deciding a doubtful match."""

from __future__ import annotations

from django.db import transaction

from liangxin.web.audit.actions import Action, log
from liangxin.web.core.models import DataVersion
from liangxin.web.core.permissions import DECIDE_MATCH, IMPORT, NotAllowed, require
from liangxin.web.core.scope import CHANGE, Scope
from liangxin.web.jobs.rescreen import request_rescreen
from liangxin.web.orgs.models import Org
from liangxin.web.review.models import MatchDecision

PAIR_FIELDS = (
    "source_ref", "name", "credit_code", "town", "record_org_id", "candidate_name",
    "candidate_credit_code", "candidate_town",
)  # fmt: skip


def do_decide(user, pair: dict, decision: str, batch=None) -> MatchDecision:
    """Record a person's decision on a pair. Within an import it takes effect with the commit
    (the preview must be analysed again); from the queue it is applied at once. A user decides
    only between organizations they may change, both of them: a pair across 镇街 is the
    county admin's (docs/security.md)."""
    require(user, DECIDE_MATCH if batch is None else IMPORT)
    if decision not in MatchDecision.Decision.values:
        raise ValueError(decision)
    both = {pair["record_org_id"], pair["candidate_org_id"]}
    if not Scope.of(user, CHANGE).everything:
        mine = Org.objects.restrict(user, CHANGE).filter(org_id__in=both)
        if "" in both or mine.count() != len(both):
            raise NotAllowed("只能确认本范围内两个单位之间的匹配，跨镇街的由县级管理员确认")
    orgs = dict(Org.objects.filter(org_id__in=both).values_list("org_id", "pk"))
    with transaction.atomic():
        existing = MatchDecision.objects.filter(
            record_key=pair["record_key"], candidate_org_id=pair["candidate_org_id"]
        ).first()
        before = {"decision": existing.decision} if existing else None
        obj, _ = MatchDecision.objects.update_or_create(
            record_key=pair["record_key"],
            candidate_org_id=pair["candidate_org_id"],
            defaults={
                **{name: pair.get(name) or "" for name in PAIR_FIELDS},
                "org_id": orgs.get(pair["record_org_id"]),
                "candidate_id": orgs.get(pair["candidate_org_id"]),
                "decision": decision,
                "batch": batch,
                "applied": False,
                "decided_by": user,
            },
        )
        log(
            Action.DECIDE,
            user,
            obj,
            before=before,
            after={"decision": decision},
            note=f"{pair['source_ref']}：{pair['name']} ↔ {pair['candidate_name']}",
        )
        if batch is not None:
            # the upload's preview (an ``imports.ImportBatch``) must be analysed again
            type(batch).objects.filter(pk=batch.pk).update(needs_analysis=True)
        else:
            DataVersion.bump()
    if batch is None:
        request_rescreen(user, "确认匹配后重新关联")
    return obj
