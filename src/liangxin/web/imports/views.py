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
from liangxin.web.core.views import ObjectListView, get_restricted
from liangxin.web.imports import actions
from liangxin.web.imports.filtersets import BatchFilter
from liangxin.web.imports.models import Change, ImportBatch
from liangxin.web.imports.specs import BY_NAME, SPECS
from liangxin.web.imports.tables import BatchTable
from liangxin.web.matches.actions import do_decide


def _admin_batch(request, pk: int) -> ImportBatch:
    if not request.user.is_county_admin:
        raise Http404
    return get_restricted(ImportBatch, request.user, pk=pk)


class BatchListView(ObjectListView):
    model = ImportBatch
    table = BatchTable
    filterset = BatchFilter
    title = "导入记录"
    template_name = "imports/list.html"


class UploadView(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_county_admin:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, "imports/upload.html")

    def post(self, request):
        files = request.FILES.getlist("files")  # receiving the files checks their sizes
        refusals = getattr(request, "upload_refusals", [])
        if refusals:  # a file larger than the limit was not even stored
            for refusal in refusals:
                messages.error(request, refusal)
            return render(request, "imports/upload.html", status=400)
        try:
            batch = actions.do_upload(request.user, files, request.POST.get("note", "")[:200])
        except actions.UploadError as exc:
            messages.error(request, str(exc))
            return render(request, "imports/upload.html", status=400)
        return redirect("imports:detail", pk=batch.pk)


def detail(request, pk: int):
    batch = get_restricted(ImportBatch, request.user, pk=pk)
    counts = batch.summary.get("counts", {})
    rows = [(spec, counts.get(spec.name, {})) for spec in SPECS]
    rejects = [r for f in batch.files.all() for r in f.report.get("rejects", [])]
    return render(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "task": batch.task,
            "count_rows": rows,
            "rejects": rejects[:200],
            "reject_total": len(rejects),
            "review": list(enumerate(batch.review)),
            "busy": batch.status in (ImportBatch.Status.ANALYSING, ImportBatch.Status.COMMITTING),
        },
    )


def changes(request, pk: int, model: str):
    batch = get_restricted(ImportBatch, request.user, pk=pk)
    spec = BY_NAME.get(model)
    if spec is None:
        raise Http404
    action = request.GET.get("action", Change.Action.NEW)
    queryset = batch.changes.filter(model=model, action=action).order_by("key")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/changes.html",
        {
            "batch": batch,
            "spec": spec,
            "action": Change.Action(action) if action in Change.Action.values else None,
            "actions": Change.Action.choices,
            "page": page,
            "query": f"action={action}",
        },
    )


def rejects_csv(request, pk: int):
    batch = get_restricted(ImportBatch, request.user, pk=pk)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["文件", "工作表", "行号", "退回原因"])
    for file in batch.files.all():
        for r in file.report.get("rejects", []):
            cells = [r["source_file"], r["source_sheet"], r["source_row"], r["reason"]]
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
    if batch.status != ImportBatch.Status.READY or not 0 <= index < len(batch.review):
        raise Http404
    decision = request.POST.get("decision", "")
    if decision not in ("confirm", "reject"):
        raise Http404
    do_decide(request.user, batch.review[index], decision, batch=batch)
    messages.info(request, "已记录确认结果，请重新分析后提交。")
    return redirect("imports:detail", pk=batch.pk)
