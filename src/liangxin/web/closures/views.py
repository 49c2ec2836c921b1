"""销号任务 pages: the list with per-镇街 counts and bulk actions, and one task's page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from liangxin.web.audit.models import AuditLog
from liangxin.web.closures.actions import (
    ClosureError,
    do_bulk_plan,
    do_complete,
    do_resync,
    do_save_plan,
    do_waive,
)
from liangxin.web.closures.models import Closure
from liangxin.web.closures.stats import town_counts
from liangxin.web.core.filters import ALL, FilterForm
from liangxin.web.core.permissions import (
    COMPLETE_COUNTY_TASK,
    RESYNC_CLOSURES,
    WAIVE_CLOSURE,
    allowed,
)
from liangxin.web.core.policy import as_of
from liangxin.web.core.scope import CHANGE
from liangxin.web.core.tables import Column, Table
from liangxin.web.core.views import (
    ObjectDetailView,
    ObjectListView,
    can_change,
    get_restricted,
    restricted,
)


def _status(obj: Closure):
    if obj.is_overdue(as_of()):
        return mark_safe('<span class="badge text-bg-danger">逾期</span>')
    css = {"open": "warning", "closed": "success", "waived": "secondary"}[obj.status]
    return format_html('<span class="badge text-bg-{}">{}</span>', css, obj.get_status_display())


def _check(obj: Closure):
    return format_html(
        '<input type="checkbox" class="form-check-input" name="ids" value="{}" form="bulk">',
        obj.pk,
    )


class ClosureTable(Table):
    default_sort = "deadline"
    columns = (
        Column("pick", "", value=_check),
        Column("name", "对象", sort="name", link="closures:detail", css="wrap"),
        Column("task", "任务", sort="task_kind"),
        Column("town", "镇街", sort="town"),
        Column("deadline", "时限", sort="deadline"),
        Column("status", "状态", sort="status", value=_status),
        Column("plan", "计划", value=lambda o: "已制定" if o.plan else "未制定"),
    )


class ClosureFilter(FilterForm):
    search_fields = ("name__contains", "subject_id")
    status = forms.ChoiceField(label="状态", choices=[ALL, *Closure.Status.choices])
    task_kind = forms.ChoiceField(label="任务", choices=[ALL])
    town = forms.ChoiceField(label="镇街", choices=[ALL])
    overdue = forms.ChoiceField(label="逾期", choices=[ALL, ("1", "仅逾期")])
    lookups = {"status": "status", "task_kind": "task_kind", "town": "town"}

    def __init__(self, data=None, user=None, **kwargs):
        super().__init__(data, user, **kwargs)
        mine = Closure.objects.restrict(user)
        kinds = mine.order_by().values_list("task_kind", "task").distinct()
        self.fields["task_kind"].choices = [ALL, *sorted(set(kinds))]
        towns = mine.exclude(town="").order_by().values_list("town", flat=True).distinct()
        self.fields["town"].choices = [ALL, *((t, t) for t in sorted(towns))]

    def apply_overdue(self, queryset, value):
        return queryset.overdue(as_of()) if value == "1" else queryset


class ClosureListView(ObjectListView):
    model = Closure
    table = ClosureTable
    filterset = ClosureFilter
    title = "销号任务"
    template_name = "closures/list.html"

    def extra_context(self, request) -> dict:
        day = as_of()
        mine = restricted(Closure, request.user)
        return {
            "counts": town_counts(mine, day),
            "overdue_total": mine.overdue(day).count(),
            "can_change": restricted(Closure, request.user, CHANGE).exists(),
            "can_waive": allowed(request.user, WAIVE_CLOSURE),
        }


class ClosureDetailView(ObjectDetailView):
    model = Closure
    template_name = "closures/detail.html"

    def context(self, request, obj) -> dict:
        return {
            "title": str(obj),
            "overdue": obj.is_overdue(as_of()),
            "can_change": can_change(obj, request.user),
            "can_waive": allowed(request.user, WAIVE_CLOSURE) and obj.status == Closure.Status.OPEN,
            "can_complete": allowed(request.user, COMPLETE_COUNTY_TASK)
            and obj.status == Closure.Status.OPEN
            and obj.subject == "county",
            "history": AuditLog.objects.restrict(request.user).filter(
                object_type=obj._meta.label_lower, object_id=str(obj.pk)
            )[:50],
        }


@require_POST
def save_plan(request, pk: int):
    obj = get_restricted(Closure, request.user, CHANGE, pk=pk)
    do_save_plan(request.user, obj, request.POST.get("plan", ""))
    messages.success(request, f"已保存{obj.plan_label}")
    return redirect("closures:detail", pk=pk)


@require_POST
def waive(request, pk: int):
    obj = get_restricted(Closure, request.user, CHANGE, pk=pk)
    try:
        do_waive(request.user, [obj], request.POST.get("reason", ""))
    except ClosureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已豁免该销号任务")
    return redirect("closures:detail", pk=pk)


@require_POST
def complete(request, pk: int):
    """标记完成: a county admin closes a county-level task with its evidence."""
    obj = get_restricted(Closure, request.user, CHANGE, pk=pk)
    if not allowed(request.user, COMPLETE_COUNTY_TASK):
        raise Http404
    try:
        do_complete(request.user, obj, request.POST.get("evidence", ""))
    except ClosureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已标记完成并销号")
    return redirect("closures:detail", pk=pk)


@require_POST
def bulk(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    chosen = list(restricted(Closure, request.user, CHANGE).filter(pk__in=ids))
    if not chosen:
        messages.error(request, "请先勾选任务（只能操作本人权限范围内的任务）")
        return redirect("closures:list")
    try:
        if request.POST.get("action") == "waive":
            n = do_waive(request.user, chosen, request.POST.get("reason", ""))
            messages.success(request, f"已豁免 {n} 项销号任务")
        elif request.POST.get("action") == "plan":
            n = do_bulk_plan(request.user, chosen, request.POST.get("plan", ""))
            messages.success(request, f"已为 {n} 项任务填写计划")
        else:
            messages.error(request, "请选择批量操作")
    except ClosureError as error:
        messages.error(request, str(error))
    return redirect("closures:list")


@require_POST
def resync(request):
    """Re-run the screening so the tasks follow the data (e.g. after the as-of date moved past
    a deadline, or for data imported before 销号 tasks existed)."""
    if not allowed(request.user, RESYNC_CLOSURES):
        raise Http404
    do_resync(request.user)
    messages.success(request, "已开始重新筛查，销号任务将随之更新")
    return redirect("closures:list")
