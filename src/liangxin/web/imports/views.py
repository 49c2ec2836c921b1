from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.decorators.http import require_POST

from liangxin.engine.outputs.workbook import spreadsheet_text
from liangxin.web.audit.actions import Action, log
from liangxin.web.core.permissions import IMPORT, allowed
from liangxin.web.core.views import ObjectListView, bad_request, get_restricted
from liangxin.web.county.models import Change
from liangxin.web.county.specs import BY_NAME, SPECS
from liangxin.web.imports import actions
from liangxin.web.imports.filtersets import BatchFilter
from liangxin.web.imports.limits import Limits
from liangxin.web.imports.models import ImportBatch, RejectedRow
from liangxin.web.imports.tables import BatchTable
from liangxin.web.review.actions import do_decide

PER_PAGE = 50
SHOWN_REJECTS = 20  # on the batch's page; all of them, a page at a time, on ``rejected``


def _admin_batch(request, pk: int) -> ImportBatch:
    if not allowed(request.user, IMPORT):
        raise Http404
    return get_restricted(ImportBatch, request.user, pk=pk)


class BatchListView(ObjectListView):
    model = ImportBatch
    table = BatchTable
    filterset = BatchFilter
    title = "导入记录"
    template_name = "imports/list.html"


class UploadView(View):
    def page(self, request, status: int = 200):
        limits = Limits.current().describe()
        return render(request, "imports/upload.html", {"limits": limits}, status=status)

    def dispatch(self, request, *args, **kwargs):
        if not allowed(request.user, IMPORT):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.page(request)

    def post(self, request):
        files = request.FILES.getlist("files")  # receiving the files checks their sizes
        refusals = getattr(request, "upload_refusals", [])
        try:
            if refusals:  # a file larger than the limit was not even stored
                raise actions.UploadError("\n".join(refusals))
            batch = actions.do_upload(request.user, files, request.POST.get("note", "")[:200])
        except actions.UploadError as exc:
            messages.error(request, str(exc))
            return self.page(request, status=400)
        return redirect("imports:detail", pk=batch.pk)


def detail(request, pk: int):
    batch = get_restricted(ImportBatch, request.user, pk=pk)
    counts = batch.summary.get("counts", {})
    rows = [(spec, counts.get(spec.name, {})) for spec in SPECS]
    rejects = RejectedRow.objects.filter(file__batch=batch).select_related("file")
    pairs = batch.pairs.order_by("position")
    page = Paginator(pairs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "job": batch.job,
            "count_rows": rows,
            "rejects": rejects[:SHOWN_REJECTS],
            "reject_total": rejects.count(),
            "page": page,
            "busy": batch.status in (ImportBatch.Status.ANALYSING, ImportBatch.Status.COMMITTING),
        },
    )


def changes(request, pk: int, model: str):
    batch = get_restricted(ImportBatch, request.user, pk=pk)
    spec = BY_NAME.get(model)
    if spec is None:
        raise Http404
    action = request.GET.get("action", Change.Action.NEW)
    if action not in Change.Action.values:
        return bad_request(request, f"筛选条件有误（变化：“{action}”不是可选的值）")
    queryset = batch.changes.filter(model=model, action=action).order_by("key")
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/changes.html",
        {
            "batch": batch,
            "spec": spec,
            "action": Change.Action(action),
            "actions": Change.Action.choices,
            "page": page,
            "query": f"action={action}",
        },
    )


def rejected(request, pk: int):
    batch = get_restricted(ImportBatch, request.user, pk=pk)
    rejects = RejectedRow.objects.filter(file__batch=batch).select_related("file")
    page = Paginator(rejects, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "imports/rejected.html", {"batch": batch, "page": page})


def rejects_csv(request, pk: int):
    batch = get_restricted(ImportBatch, request.user, pk=pk)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["文件", "工作表", "行号", "退回原因"])
    rejects = RejectedRow.objects.filter(file__batch=batch).select_related("file")
    for r in rejects.iterator(chunk_size=2000):
        cells = [r.file.name, r.sheet, r.row, r.reason]
        writer.writerow([spreadsheet_text(c) if isinstance(c, str) else c for c in cells])
    log(Action.DOWNLOAD, request.user, batch, note="下载退回的数据行")
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=rejects-{batch.pk}.csv"
    return response


@require_POST
def commit(request, pk: int):
    return _act(request, pk, actions.do_commit, "正在提交……")


@require_POST
def reanalyse(request, pk: int):
    return _act(request, pk, actions.do_reanalyse, "正在重新分析……")


@require_POST
def discard(request, pk: int):
    return _act(request, pk, actions.do_discard, "已放弃该批导入，数据未作任何改动。")


def _act(request, pk: int, action, done: str):
    batch = _admin_batch(request, pk)
    try:
        action(batch, request.user)
        messages.info(request, done)
    except actions.UploadError as exc:
        messages.error(request, str(exc))
    return redirect("imports:detail", pk=batch.pk)


@require_POST
def decide(request, pk: int, index: int):
    batch = _admin_batch(request, pk)
    pair = batch.pairs.filter(position=index).first()
    if batch.status != ImportBatch.Status.READY or pair is None:
        raise Http404
    decision = request.POST.get("decision", "")
    if decision not in ("confirm", "reject"):
        raise Http404
    do_decide(request.user, pair.pair, decision, batch=batch)
    messages.info(request, "已记录确认结果，请重新分析后提交。")
    return redirect("imports:detail", pk=batch.pk)
