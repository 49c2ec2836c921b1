"""Freezing a period (county admins), audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q

from liangxin.engine.outputs.changes import KEY_COLUMNS
from liangxin.web.audit.actions import Action, log
from liangxin.web.closures.models import Closure
from liangxin.web.closures.stats import town_counts
from liangxin.web.core.bulk import insert
from liangxin.web.core.permissions import FREEZE_PERIOD, require
from liangxin.web.core.policy import as_of, current_policy
from liangxin.web.dashboard.metrics import county_metrics
from liangxin.web.orgs.models import Kind, Org
from liangxin.web.periods.models import Period, PeriodOrg

# what the change explanation compares (engine/outputs/changes.py), and where the org is placed
ORG_FIELDS = (*KEY_COLUMNS, "region_path")


class PeriodError(ValueError):
    pass


def do_freeze(user, label: str, note: str = "") -> Period:
    require(user, FREEZE_PERIOD)
    label = label.strip()
    if not label:
        raise PeriodError("请填写期次名称，如“2020年6月”")
    if Period.objects.filter(label=label).exists():
        raise PeriodError(f"期次“{label}”已存在")
    day = as_of()
    with transaction.atomic():
        period = Period.objects.create(
            label=label,
            as_of=day,
            policy=current_policy().name,
            metrics=county_metrics(Org.objects.all()),
            closures=town_counts(Closure.objects.all(), day),
            overdue=[
                {**row, "town": row["town"] or "县级", "deadline": row["deadline"].isoformat()}
                for row in Closure.objects.overdue(day)
                .order_by("town", "deadline", "name")
                .values("town", "name", "task", "deadline", "org")
            ],
            closure_kinds=closure_kinds(),
            kind_metrics={
                kind: county_metrics(Org.objects.filter(kind=kind))["total"] for kind in Kind.values
            },
            note=note.strip()[:200],
            created_by=user,
        )
        insert(
            PeriodOrg,
            (
                PeriodOrg(period=period, org_id=row.pop("pk"), org_code=row.pop("org_id"), **row)
                for row in Org.objects.values("pk", *ORG_FIELDS).iterator(chunk_size=2000)
            ),
            batch_size=1000,
        )
        log(Action.CREATE, user, period, after={"label": label, "as_of": day,
            "orgs": period.orgs.count()}, note="冻结台账期次")  # fmt: skip
    return period


def closure_kinds() -> list[dict]:
    """Per task kind: its label, deadline, how many tasks, how many closed or waived."""
    rows = (
        Closure.objects.order_by()
        .values("task_kind", "task", "deadline")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=~Q(status=Closure.Status.OPEN)),
        )
        .order_by("deadline", "task_kind")
    )
    return [{**r, "deadline": r["deadline"].isoformat()} for r in rows]
