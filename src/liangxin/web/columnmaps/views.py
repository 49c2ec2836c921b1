"""The page where a county admin confirms what each column of an uploaded file means."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from liangxin.engine.intake.config import file_pattern
from liangxin.engine.labels import KIND_LABELS
from liangxin.engine.schema import SCHEMAS, Kind
from liangxin.web.columnmaps.actions import MappingError, do_delete_mapping, do_save_mapping
from liangxin.web.columnmaps.models import ColumnMap
from liangxin.web.core.permissions import MAP_COLUMNS, allowed
from liangxin.web.imports.models import ImportFile

UNUSED = ""


def _admin(request) -> None:
    if not allowed(request.user, MAP_COLUMNS):
        raise Http404


def mapping_list(request):
    _admin(request)
    return render(request, "columnmaps/list.html", {"mappings": ColumnMap.objects.all()})


def _columns(file: ImportFile) -> list[dict]:
    """One entry per distinct header of the file (sheets of one template repeat them)."""
    seen: dict[str, dict] = {}
    for c in file.report.get("columns", []):
        seen.setdefault(c["label"], c)
    return list(seen.values())


def file_columns(request, pk: int):
    _admin(request)
    file = get_object_or_404(ImportFile, pk=pk)
    columns = _columns(file)
    kind = request.POST.get("kind") or file.kind or file.report.get("proposed_kind") or ""
    if request.method == "POST" and "save" in request.POST:
        headers = {c["label"]: request.POST.get(f"col-{i}", UNUSED) for i, c in enumerate(columns)}
        try:
            do_save_mapping(request.user, file.name, kind, headers)
        except MappingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"已记住「{file_pattern(file.name)}」这类文件的各列含义；请重新分析本批，"
                "以后同一模板的文件不再询问。",
            )
            return redirect("imports:detail", pk=file.batch_id)
    fields = SCHEMAS[Kind(kind)].fields if kind else ()
    context = {
        "file": file,
        "pattern": file_pattern(file.name),
        "columns": columns,
        "kind": kind,
        "kinds": KIND_LABELS.items(),
        "fields": [(f.name, f.label) for f in fields if f.name != "seq"],
        "existing": ColumnMap.objects.filter(pattern=file_pattern(file.name)).first(),
    }
    return render(request, "columnmaps/file.html", context)


@require_POST
def delete(request, pk: int):
    _admin(request)
    mapping = get_object_or_404(ColumnMap, pk=pk)
    do_delete_mapping(request.user, mapping)
    messages.success(request, f"已删除表头对照：{mapping.pattern}")
    return redirect("columnmaps:list")
