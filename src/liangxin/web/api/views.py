"""The read API: JSON views over the same restricted querysets, filters and sorting as the pages."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.urls import reverse

from liangxin.web.api.auth import api_view, error
from liangxin.web.api.schema import MAX_PAGE_SIZE, PAGE_SIZE, openapi
from liangxin.web.api.shapes import (
    INSTRUCTOR,
    INSTRUCTOR_DETAIL,
    ORG,
    ORG_DETAIL,
    PARTY_ORG,
    PARTY_ORG_DETAIL,
    Shape,
)
from liangxin.web.core.views import get_restricted, restricted
from liangxin.web.dashboard.metrics import county_metrics
from liangxin.web.instructors.filtersets import InstructorFilter
from liangxin.web.instructors.tables import InstructorTable
from liangxin.web.orgs.filtersets import OrgFilter
from liangxin.web.orgs.models import Org
from liangxin.web.orgs.tables import OrgTable
from liangxin.web.partyorgs.filtersets import PartyOrgFilter
from liangxin.web.partyorgs.tables import PartyOrgTable


def _positive(request, name: str, default: int) -> int | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def _listing(request, shape: Shape, filterset, table_class):
    form = filterset(request.GET, user=request.user)
    if form.is_bound and not form.is_valid():  # unbound: no filter given
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return error(400, "筛选条件有误", errors=errors)
    table = table_class(request.GET.get("sort"))
    queryset = table.order(form.filter(restricted(shape.model, request.user)))
    if not table.order_by:
        queryset = queryset.order_by("pk")
    page_number = _positive(request, "page", 1)
    page_size = _positive(request, "page_size", PAGE_SIZE)
    if page_number is None or page_size is None or page_size > MAX_PAGE_SIZE:
        return error(400, f"page 和 page_size 须为正整数，page_size 不超过 {MAX_PAGE_SIZE}")
    paginator = Paginator(queryset, page_size)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        if page_number != 1:
            return error(404, "没有这一页")
        page = paginator.page(1)  # an empty result still has its first page

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return f"{request.path}?{params.urlencode()}"

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "page_size": page_size,
            "num_pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [shape.dump(obj, request.user) for obj in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _detail(request, shape: Shape, pk: int):
    obj = get_restricted(shape.model, request.user, pk=pk)
    return JsonResponse(shape.dump(obj, request.user), json_dumps_params={"ensure_ascii": False})


@api_view
def orgs(request):
    return _listing(request, ORG, OrgFilter, OrgTable)


@api_view
def org(request, pk: int):
    return _detail(request, ORG_DETAIL, pk)


@api_view
def party_orgs(request):
    return _listing(request, PARTY_ORG, PartyOrgFilter, PartyOrgTable)


@api_view
def party_org(request, pk: int):
    return _detail(request, PARTY_ORG_DETAIL, pk)


@api_view
def instructors(request):
    return _listing(request, INSTRUCTOR, InstructorFilter, InstructorTable)


@api_view
def instructor(request, pk: int):
    return _detail(request, INSTRUCTOR_DETAIL, pk)


@api_view
def metrics(request):
    return JsonResponse(
        county_metrics(Org.objects.restrict(request.user)),
        json_dumps_params={"ensure_ascii": False},
    )


@api_view
def schema(request):
    server = request.build_absolute_uri(reverse("api:orgs")).removesuffix("/orgs/")
    return JsonResponse(openapi(server), json_dumps_params={"ensure_ascii": False})
