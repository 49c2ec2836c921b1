"""销号 progress counts per 镇街 (the task list, the ledger periods and the bulletins)."""

from __future__ import annotations

from django.db.models import Count, Q

from liangxin.engine.rates import percent_text
from liangxin.web.closures.models import Closure


def town_counts(queryset, day) -> list[dict]:
    """Per 镇街: open, overdue, closed, waived, and the share closed or waived."""
    rows = (
        queryset.order_by()
        .values("town")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status=Closure.Status.OPEN)),
            overdue=Count("pk", filter=Q(status=Closure.Status.OPEN, deadline__lt=day)),
            closed=Count("pk", filter=Q(status=Closure.Status.CLOSED)),
            waived=Count("pk", filter=Q(status=Closure.Status.WAIVED)),
        )
        .order_by("town")
    )
    out = []
    for row in rows:
        done = row["closed"] + row["waived"]
        out.append(
            {
                **row,
                "town": row["town"] or "县级",
                "done": done,
                "rate": percent_text(done, row["total"]),
            }
        )
    return out
