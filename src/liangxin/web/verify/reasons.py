"""Why an organization's facts need a look on the spot, declared once: each reason a name, its
Chinese label (shown on the task) and the database filter on ``Org`` that finds it on a day.

Near the thresholds: 50 and 100 employees decide the focus lists and the obligation to set up
an organization alone (docs/rules.md §R5.2), so a count a few people off either side is worth
confirming. Those two, like the 销号 deadline, look only at organizations in scope (the
ledger counts them); registry-active but uninsured looks at every one, as it may be what put an
organization out of scope (停产 by the tax office, say) that needs a look.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from liangxin.engine.schema import Kind
from liangxin.engine.screen.scope import INACTIVE_STATUS
from liangxin.web.closures.models import Closure

DEADLINE_WINDOW = datetime.timedelta(days=30)
NEAR_THRESHOLDS = ((45, 54), (95, 104))


@dataclass(frozen=True)
class Reason:
    name: str
    label: str
    where: Callable[[datetime.date], Q]


def _deadline_soon(day: datetime.date) -> Q:
    closing = Closure.objects.open().filter(
        org=OuterRef("pk"), deadline__gte=day, deadline__lte=day + DEADLINE_WINDOW
    )
    return Q(in_scope=True, due_unestablished=True) & Q(Exists(closing))


def _near_thresholds(day: datetime.date) -> Q:
    near = Q()
    for low, high in NEAR_THRESHOLDS:
        near |= Q(employees__range=(low, high))
    return Q(in_scope=True) & near


REASONS: tuple[Reason, ...] = (
    Reason(
        "no_survey",
        "没有镇街摸排记录",
        lambda day: Q(in_scope=True) & ~Q(source_kinds__contains=Kind.SURVEY),
    ),
    Reason(
        "active_uninsured",
        "登记为存续，但社保无参保人员",
        lambda day: (
            Q(source_kinds__contains=Kind.REGISTRY)
            & ~Q(reg_status__regex=INACTIVE_STATUS)
            & (Q(insured__isnull=True) | Q(insured=0))
        ),
    ),
    Reason("deadline_soon", "应建未建，销号时限在30天内", _deadline_soon),
    Reason("near_threshold", "从业人员接近50人或100人", _near_thresholds),
)
