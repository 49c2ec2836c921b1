"""通报: preview in the browser, chart image, .docx and PDF downloads (audited)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from liangxin.engine.outputs.bulletin import (
    OVERDUE_HEADERS,
    PROGRESS_HEADERS,
    RANKING_HEADERS,
    chart_png,
    convert_to_pdf,
    progress_rows,
    rank_towns,
    ranking_rows,
    write_docx,
)
from liangxin.web.audit.actions import Action, log
from liangxin.web.bulletins.data import bulletin_data
from liangxin.web.core.scope import Scope
from liangxin.web.core.views import get_restricted
from liangxin.web.periods.models import Period


def _town(user) -> str | None:
    scope = Scope.of(user)
    if scope.nothing:
        raise Http404
    return user.region.name if scope.region_path is not None else None


def _county_wide(user) -> None:
    if not Scope.of(user).everything:
        raise Http404


def preview(request, pk: int):
    period = get_restricted(Period, request.user, pk=pk)
    town = _town(request.user)
    data = bulletin_data(period, request.user)
    return render(
        request,
        "bulletins/preview.html",
        {
            "title": f"{period}通报",
            "period": period,
            "data": data,
            "town": town,
            "ranking_headers": RANKING_HEADERS,
            "ranking": ranking_rows(data.ranking),
            "progress_headers": PROGRESS_HEADERS,
            "progress": progress_rows(data.progress),
            "overdue_headers": OVERDUE_HEADERS,
            "overdue": data.overdue.select("town", "name", "task", "deadline").rows(),
            "newly": data.newly.rows(),
            "can_export": Scope.of(request.user).everything,
        },
    )


def chart(request, pk: int):
    period = get_restricted(Period, request.user, pk=pk)
    _town(request.user)
    ranking = rank_towns(period.metrics["towns"])
    return HttpResponse(chart_png(ranking), content_type="image/png")


def _docx(period: Period, user, folder: Path) -> Path:
    return write_docx(bulletin_data(period, user), folder / f"{period.label}通报.docx")


def download_docx(request, pk: int):
    period = get_restricted(Period, request.user, pk=pk)
    _county_wide(request.user)
    folder = Path(tempfile.mkdtemp(prefix="bulletin-"))
    path = _docx(period, request.user, folder)
    log(Action.DOWNLOAD, request.user, period, note=f"下载通报：{path.name}")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


def download_pdf(request, pk: int):
    period = get_restricted(Period, request.user, pk=pk)
    _county_wide(request.user)
    folder = Path(tempfile.mkdtemp(prefix="bulletin-"))
    pdf = convert_to_pdf(_docx(period, request.user, folder), folder)
    log(Action.DOWNLOAD, request.user, period, note=f"下载通报：{pdf.name}")
    return FileResponse(pdf.open("rb"), as_attachment=True, filename=pdf.name)
