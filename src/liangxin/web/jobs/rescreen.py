"""Asking for the county to be screened again after an edit: a background job whose work
(``county/rescreen.py``) runs the engine; the editing apps only ask, through here."""

from __future__ import annotations

from collections.abc import Iterable

from liangxin.web.jobs.models import Job
from liangxin.web.jobs.worker import enqueue

Seeds = dict[str, list[str]]


def request_rescreen(user, reason: str, seeds: Seeds | None = None) -> Job:
    """Queue a re-screening unless one is already waiting (it will see this change too).

    ``seeds`` (``seeds_of``) are the objects of an edit that cannot change links;
    without them the whole county is screened again."""
    waiting = Job.objects.filter(kind="rescreen", status=Job.Status.QUEUED).first()
    if waiting is not None:
        params = {**waiting.params, "seeds": _merged(waiting.params.get("seeds"), seeds)}
        # only while still queued: a job a worker has claimed has read its parameters
        if Job.objects.filter(pk=waiting.pk, status=Job.Status.QUEUED).update(params=params):
            return waiting
    return enqueue("rescreen", "重新关联比对、按政策筛查", user, reason=reason, seeds=seeds)


def _merged(one: Seeds | None, other: Seeds | None) -> Seeds | None:
    if one is None or other is None:
        return None
    return {name: sorted({*one.get(name, []), *other.get(name, [])}) for name in {*one, *other}}


def seeds_of(
    orgs: Iterable[str] = (), party_orgs: Iterable[str] = (), instructors: Iterable[str] = ()
) -> dict[str, list[str]]:
    """The edited objects, as a re-screening job's parameter (engine ids)."""
    return {
        "orgs": sorted(set(orgs)),
        "party_orgs": sorted(set(party_orgs)),
        "instructors": sorted(set(instructors)),
    }
