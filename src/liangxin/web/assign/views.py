"""The assignment planner page: proposals to review and accept, and accepted assignments."""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liangxin.web.assign.actions import AssignmentError, do_accept
from liangxin.web.assign.models import Assignment
from liangxin.web.assign.planner import propose
from liangxin.web.core.scope import CHANGE, Scope


def _editor(user) -> None:
    if Scope.of(user, CHANGE).nothing:
        raise Http404


def plan(request):
    _editor(request.user)
    started = time.perf_counter()
    result = propose(request.user)
    elapsed = time.perf_counter() - started
    unmet_towns = (
        result.unmet.group_by("town").len().sort("len", descending=True).rows()
        if result.unmet.height
        else []
    )
    return render(
        request,
        "assign/plan.html",
        {
            "title": "指导员选派方案",
            "summary": result.summary(),
            "elapsed": f"{elapsed:.2f}",
            "proposals": result.assignments.to_dicts(),
            "unmet": result.unmet.to_dicts(),
            "unmet_towns": unmet_towns,
            "loads": result.loads.filter(result.loads["added"] > 0).to_dicts(),
            "accepted": Assignment.objects.restrict(request.user).select_related(
                "org", "accepted_by"
            )[:100],
        },
    )


@require_POST
def accept(request):
    _editor(request.user)
    pairs = []
    for value in request.POST.getlist("pick"):
        org_id, _, entity_id = value.partition("|")
        if org_id and entity_id:
            pairs.append((org_id, entity_id))
    reasons = {key[7:]: value for key, value in request.POST.items() if key.startswith("reason:")}
    try:
        n = do_accept(request.user, pairs, reasons)
    except AssignmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已采纳 {n} 条选派方案，正在重新筛查")
    return redirect("assign:plan")
