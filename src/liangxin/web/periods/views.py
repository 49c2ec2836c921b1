"""台账期次 pages: the list with trends, freezing, and the comparison of two periods."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liangxin.engine.labels import COUNT_LABELS
from liangxin.web.core.permissions import FREEZE_PERIOD, allowed
from liangxin.web.core.scope import Scope
from liangxin.web.core.views import bad_request, get_restricted, restricted
from liangxin.web.periods.actions import PeriodError, do_freeze
from liangxin.web.periods.compare import compare, metric_rows, trend
from liangxin.web.periods.models import Period


def _town(user) -> str | None:
    """A 镇街 user follows their own 镇街; everybody else the county."""
    scope = Scope.of(user)
    if scope.nothing:
        raise Http404
    return user.region.name if scope.region_path is not None else None


def period_list(request):
    town = _town(request.user)
    periods = list(restricted(Period, request.user))
    return render(
        request,
        "periods/list.html",
        {
            "title": "台账期次",
            "town": town,
            "rows": trend(periods, town),
            "periods": periods,
            "can_freeze": allowed(request.user, FREEZE_PERIOD),
        },
    )


@require_POST
def freeze(request):
    try:
        period = do_freeze(
            request.user, request.POST.get("label", ""), request.POST.get("note", "")
        )
    except PeriodError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已冻结台账期次“{period}”（{period.orgs.count()}个单位）")
    return redirect("periods:list")


def period_compare(request):
    town = _town(request.user)
    chosen = [request.GET.get(side, "") for side in ("a", "b")]
    if not all(pk.isdigit() for pk in chosen):
        return bad_request(request, "请选择要比较的两个台账期次")
    earlier, later = (get_restricted(Period, request.user, pk=int(pk)) for pk in chosen)
    if earlier.as_of > later.as_of:
        earlier, later = later, earlier
    changes = compare(request.user, earlier, later)
    before, after = metric_rows(earlier, town), metric_rows(later, town)
    deltas = []
    for key in ("total", "org_covered", "work_covered", "due_unestablished"):
        a, b = before.get(key), after.get(key)
        deltas.append(
            (COUNT_LABELS[key], a, b, (b - a) if a is not None and b is not None else None)
        )
    counts = changes.group_by("change").len().rows()
    return render(
        request,
        "periods/compare.html",
        {
            "title": f"{earlier} → {later} 变更说明",
            "earlier": earlier,
            "later": later,
            "town": town,
            "deltas": deltas,
            "counts": dict(counts),
            "changes": changes.to_dicts(),
        },
    )


def progress(request):
    from liangxin.web.core.policy import as_of, current_policy
    from liangxin.web.periods.progress import deadline_progress, target_progress

    _town(request.user)
    periods = list(restricted(Period, request.user))
    today = as_of()
    return render(
        request,
        "periods/progress.html",
        {
            "title": "目标进度",
            "deadlines": deadline_progress(periods, today),
            "targets": target_progress(periods, today, current_policy()),
            "periods": periods,
        },
    )
