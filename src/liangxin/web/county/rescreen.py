"""Re-run the engine on the stored data after an edit or a match decision, and write the result.

No preview: the user's own change is what triggers it. Optimistic: if the data changed while
the engine ran, it runs again. An edit that cannot change how rows are linked names the objects
it touched (``seeds``) and only the part of the county they reach is screened again (see
``local``); a match decision, or a part that is too large, screens the whole county.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from django.db import transaction

from liangxin.engine import Run
from liangxin.web.closures.sync import sync_screened as sync_closures
from liangxin.web.core.models import DataVersion
from liangxin.web.county import inputs, local
from liangxin.web.county.apply import apply_changes, in_memory, replace_not_found, replace_review
from liangxin.web.county.diff import diff_county
from liangxin.web.county.models import Change, CountyWords
from liangxin.web.county.proposal import propose, review_rows
from liangxin.web.county.run import county_words, run_county
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.rescreen import Seeds
from liangxin.web.jobs.worker import JobError, JobProgress, handler
from liangxin.web.review.models import MatchDecision

ATTEMPTS = 3


@dataclass
class Screening:
    """One run of the engine and what writing it changes: the whole county, or a part."""

    outcome: Run
    changes: list[Change]
    tasks: pl.DataFrame  # the open 销号 tasks found
    task_ids: set[str] | None = None  # a part decides only these tasks
    review: list[dict] | None = None  # the whole county's doubtful matches
    pending: list[int] = field(default_factory=list)  # match decisions it applies
    orgs: int | None = None  # how many organizations the part holds

    def write(self, user, note: str, ref: dict) -> None:
        apply_changes(in_memory(self.changes), user, note, self.outcome.reconciled.county)
        if self.review is not None:
            MatchDecision.objects.filter(pk__in=self.pending).update(applied=True)
            replace_review(self.review)
            replace_not_found(self.outcome.reconciled.not_found)
            CountyWords.store(county_words(self.outcome))
        sync_closures(self.tasks, user, note, ref, self.task_ids)


def screen_county() -> Screening:
    decisions = inputs.decisions_in_effect(include_pending=True)
    pending = list(decisions.filter(applied=False).values_list("pk", flat=True))
    stored = inputs.stored_rows()
    outcome = run_county(stored.frames, inputs.overrides(decisions))
    changes: list[Change] = []
    diff_county(propose(outcome), stored, changes.extend)
    review = review_rows(outcome, inputs.decided_pairs(decisions))
    return Screening(outcome, changes, outcome.screened.tasks, review=review, pending=pending)


def screen_part(seeds: Seeds) -> Screening | None:
    """The part of the county ``seeds`` reach, screened alone; ``None``: screen the county."""
    if MatchDecision.objects.filter(batch__isnull=True, applied=False).exists():
        return None  # a decision waiting to be applied changes links
    part = local.reach(seeds)
    run = part and local.run(part)
    changes = run and local.compare(run, propose(run.outcome))
    if changes is None:
        return None
    tasks, task_ids = local.part_tasks(run, local.moved_parks(changes))
    return Screening(run.outcome, changes, tasks, task_ids=task_ids, orgs=len(part.orgs))


@handler("rescreen")
def rescreen(job: Job, progress: JobProgress) -> dict:
    note = job.params.get("reason", "重新筛查")
    seeds = job.params.get("seeds")
    for _ in range(ATTEMPTS):
        version = DataVersion.current()
        progress.step("关联比对、按政策筛查")
        screening = (seeds and screen_part(seeds)) or screen_county()
        progress.step("写入数据库")
        with transaction.atomic():
            if DataVersion.current() != version:
                continue
            ref = {"type": "rescreen", "job": job.pk, "reason": note}
            screening.write(job.created_by, note, ref)
            if screening.changes or screening.pending:
                DataVersion.bump()
        return {"changes": len(screening.changes), "orgs": screening.orgs}
    raise JobError("数据变化频繁，重新筛查未完成，请稍后再试")
