"""List and detail pages: every one starts from the model's restricted queryset."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.views import View

from liangxin.web.core.filters import FilterForm, InvalidFilter
from liangxin.web.core.scope import CHANGE, VIEW
from liangxin.web.core.tables import Table


def restricted(model, user, action: str = VIEW):
    return model.objects.restrict(user, action)


def get_restricted(model, user, action: str = VIEW, **lookup):
    """The object, if the user may see (or change) it; 404 otherwise."""
    return get_object_or_404(restricted(model, user, action), **lookup)


def can_change(obj, user) -> bool:
    return restricted(type(obj), user, CHANGE).filter(pk=obj.pk).exists()


def bad_request(request, reason: str):
    """The Chinese 400 page, saying what was wrong with the request."""
    return render(request, "400.html", {"title": "请求有误", "reason": reason}, status=400)


class SearchPaginator(Paginator):
    """The pages of a free-text search, counted up to ``limit`` matches.

    Counting every match of a common fragment (“科技”) means reading every matching row — at a
    million organizations most of the page's time — and beyond a thousand the number helps no
    one: the page says “超过 1000 条” and asks for a narrower search.
    """

    limit = 1000

    @cached_property
    def matched(self) -> list[int]:
        """The keys of up to ``limit`` + 1 matches, in no order: the trigram index finds them
        (ordered by name, the planner may walk the name index through the whole table to
        find the few matches a scoped user sees)."""
        return list(self.object_list.order_by().values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def matches(self) -> int:
        return len(self.matched)

    def page(self, number):
        if not self.capped:  # the page of a few matches: ordered from their keys
            self.object_list = self.object_list.filter(pk__in=self.matched)
        return super().page(number)

    @property
    def capped(self) -> bool:
        return self.matches > self.limit

    @cached_property
    def count(self) -> int:
        return min(self.matches, self.limit)


class ObjectListView(View):
    model = None
    table: type[Table] = Table
    filterset: type[FilterForm] = FilterForm
    template_name = "core/object_list.html"
    title = ""
    export_url: str | None = None

    def dispatch(self, request, *args, **kwargs):
        try:  # the list and its export alike
            return super().dispatch(request, *args, **kwargs)
        except InvalidFilter as exc:
            return bad_request(request, str(exc))

    def queryset(self, request):
        return restricted(self.model, request.user)

    def filtered(self, request):
        form = self.filterset(request.GET, user=request.user)
        table = self.table(request.GET.get("sort"), user=request.user)
        return form, table, table.order(form.filter(self.queryset(request)))

    def get(self, request):
        form, table, queryset = self.filtered(request)
        paginator = SearchPaginator if form.is_valid() and form.cleaned_data.get("q") else Paginator
        page = paginator(queryset, settings.LIANGXIN_PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        sort_params = params.copy()
        sort_params.pop("sort", None)
        return render(
            request,
            self.template_name,
            {
                "title": self.title,
                "form": form,
                "table": table,
                "page": page,
                "rows": table.rows(page.object_list),
                "query": params.urlencode(),
                "sort_query": sort_params.urlencode(),
                "export_url": self.export_url,
                **self.extra_context(request),
            },
        )

    def extra_context(self, request) -> dict:
        return {}


class ObjectDetailView(View):
    model = None
    template_name = ""

    def get(self, request, pk: int):
        obj = get_restricted(self.model, request.user, pk=pk)
        return render(request, self.template_name, {"object": obj, **self.context(request, obj)})

    def context(self, request, obj) -> dict:
        return {}
