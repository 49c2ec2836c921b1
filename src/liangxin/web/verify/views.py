"""核实任务 pages, made for a phone: the list of one's 镇街's tasks and one task's card."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liangxin.web.core.permissions import ASSIGN_VERIFICATION, GENERATE_VERIFICATION, allowed
from liangxin.web.core.policy import as_of
from liangxin.web.core.scope import CHANGE
from liangxin.web.core.views import can_change, get_restricted, restricted
from liangxin.web.verify.actions import VerifyError, assignees, do_answer, do_assign, do_generate
from liangxin.web.verify.forms import CARD_FACTS, CardForm
from liangxin.web.verify.models import VerificationTask

SHOWN = {"open": "待核实", "done": "已核实", "mine": "分配给我的"}


def task_list(request):
    status = request.GET.get("show", "open")
    tasks = restricted(VerificationTask, request.user).select_related("org", "assignee")
    if status == "mine":
        tasks = tasks.open().filter(assignee=request.user)
    elif status == "done":
        tasks = tasks.filter(status=VerificationTask.Status.DONE).order_by("-answered_at")
    else:
        status, tasks = "open", tasks.open()
    page = Paginator(tasks, settings.LIANGXIN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "verify/list.html",
        {
            "title": "核实任务",
            "page": page,
            "show": status,
            "shown": SHOWN,
            "today": as_of(),
            "can_generate": allowed(request.user, GENERATE_VERIFICATION),
            "default_due": as_of() + datetime.timedelta(days=14),
        },
    )


@require_POST
def generate(request):
    if not allowed(request.user, GENERATE_VERIFICATION):
        raise Http404
    try:
        due = datetime.date.fromisoformat(request.POST.get("due", ""))
        n = do_generate(request.user, request.POST.get("period_label", ""), due)
    except ValueError as error:  # VerifyError, or a malformed date
        messages.error(request, str(error) if isinstance(error, VerifyError) else "请填写完成时限")
    else:
        messages.success(request, f"已生成 {n} 项核实任务")
    return redirect("verify:list")


def card(request, pk: int):
    task = get_restricted(VerificationTask, request.user, pk=pk)
    return _card(request, task, CardForm(org=task.org))


def _card(request, task, form, status=200):
    rows = [(form[name], _shown(form, name)) for name in CARD_FACTS]
    context = {
        "title": str(task),
        "task": task,
        "form": form,
        "rows": rows,
        "overdue": task.status == VerificationTask.Status.OPEN and task.due < as_of(),
        "can_answer": task.status == VerificationTask.Status.OPEN
        and can_change(task, request.user),
        "answered": [
            (form.fields[name].label, value)
            for name, value in task.answer_facts.items()
            if name in form.fields
        ],
    }
    if context["can_answer"] and allowed(request.user, ASSIGN_VERIFICATION):
        context["assignees"] = assignees(task)
    return render(request, "verify/card.html", context, status=status)


def _shown(form, name: str) -> str:
    """The ledger's value as the card shows it."""
    value = form.initial.get(name)
    if value in (None, ""):
        return "未知"
    return {"true": "是", "false": "否"}.get(value, str(value))


@require_POST
def answer(request, pk: int):
    task = get_restricted(VerificationTask, request.user, CHANGE, pk=pk)
    choice = request.POST.get("answer", "")
    facts = {}
    if choice == VerificationTask.Answer.CORRECTED:
        form = CardForm(request.POST, org=task.org)
        if not form.is_valid():
            return _card(request, task, form, status=400)
        facts = form.changes()
    try:
        do_answer(request.user, task, choice, facts)
    except VerifyError as error:
        messages.error(request, str(error))
        return redirect("verify:card", pk=pk)
    messages.success(request, f"“{task.org.name}”：{task.get_answer_display()}")
    return redirect("verify:list")


@require_POST
def assign(request, pk: int):
    task = get_restricted(VerificationTask, request.user, CHANGE, pk=pk)
    chosen = request.POST.get("assignee", "")
    assignee = next((u for u in assignees(task) if str(u.pk) == chosen), None)
    if chosen and assignee is None:
        messages.error(request, "只能分派给可以填报该任务的本镇街用户")
        return redirect("verify:card", pk=pk)
    do_assign(request.user, task, assignee)
    messages.success(request, f"已分派给 {assignee.get_username()}" if assignee else "已取消分派")
    return redirect("verify:card", pk=pk)
