"""State changes of organizations."""

from __future__ import annotations

from django.db import transaction

from liangxin.web.audit.actions import Action, log
from liangxin.web.core.models import DataVersion
from liangxin.web.core.permissions import EDIT_SURVEY, REVEAL_PERSONAL, require
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.rescreen import request_rescreen, seeds_of
from liangxin.web.orgs.models import Org, SurveyFact


class EditConflict(Exception):
    """Someone else saved the organization since the editor loaded it."""


def do_set_survey_facts(
    user, org: Org, facts: dict[str, object], version: int | None = None
) -> Job | None:
    """Correct survey facts: they win over the departments' values from now on, and the
    organization is screened again (its flags, and the dashboard, follow).

    ``version`` is the organization's version the editor started from; if it has changed since,
    nothing is saved and ``EditConflict`` is raised (optimistic locking)."""
    require(user, EDIT_SURVEY, [org])
    if not facts:
        return None
    with transaction.atomic():
        org = Org.objects.select_for_update().get(pk=org.pk)
        if version is not None and org.version != version:
            raise EditConflict(org.version)
        org.version += 1
        before = {name: getattr(org, name) for name in facts}
        for name, value in facts.items():
            fact, _ = SurveyFact.objects.update_or_create(
                org=org, field=name, defaults={"value": value, "set_by": user}
            )
            setattr(org, name, value)
            org.sources[name] = fact.source
        org.save(update_fields=[*facts, "sources", "version"])
        log(Action.UPDATE, user, org, before=before, after=facts, note="修改摸排信息")
        DataVersion.bump()
    reason = f"修改“{org.name}”的摸排信息后重新筛查"
    return request_rescreen(user, reason, seeds_of(orgs=[org.org_id]))


def do_reveal(user, obj, reason: str) -> None:
    """Record that ``user`` is shown ``obj``'s personal data unmasked, and why (个人信息保护法)."""
    require(user, REVEAL_PERSONAL, [obj])
    log(Action.REVEAL, user, obj, note=f"查看完整的个人信息，原因：{reason}")
