"""Tables: a list page declares its columns; sorting and cells are rendered from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from liangxin.web.core.masking import mask_field


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sort: str | None = None  # the order_by field, when the column can be sorted
    value: Callable[..., Any] | None = None  # default: the attribute ``key``
    for_viewer: bool = (
        False  # ``value`` takes (object, viewing user): what it shows depends on scope
    )
    link: str | None = None  # URL name taking the object's pk
    masked: bool = False  # personal data (see ``masking``)
    css: str = ""

    def render(self, obj: Any, user=None):
        if self.value is None:
            value = getattr(obj, self.key, None)
        else:
            value = self.value(obj, user) if self.for_viewer else self.value(obj)
        if self.masked:
            value = mask_field(self.key, value)
        if isinstance(value, bool):
            value = "是" if value else "否"
        if value is None or value == "":
            value = "—"
        if self.link:
            return format_html('<a href="{}">{}</a>', reverse(self.link, args=[obj.pk]), value)
        return value


def field_column(model, name: str, *, sortable: bool = True, **options) -> Column:
    """A column showing a model field, headed with the field's label (so a field has one name
    on every page) and sorted by the field unless ``sortable`` is false or ``sort`` says how."""
    options.setdefault("sort", name if sortable else None)
    return Column(name, str(model._meta.get_field(name).verbose_name), **options)


class Table:
    columns: tuple[Column, ...] = ()
    default_sort: str = ""

    def __init__(self, sort: str | None = None, user=None):
        self.user = user
        sortable = {c.key: c.sort for c in self.columns if c.sort}
        key = (sort or "").lstrip("-")
        self.sort = sort if key in sortable else self.default_sort
        self.order_by = None
        if self.sort:
            key = self.sort.lstrip("-")
            self.order_by = ("-" if self.sort.startswith("-") else "") + sortable[key]

    def order(self, queryset):
        if self.order_by:
            return queryset.order_by(self.order_by, "pk")
        return queryset

    def headers(self) -> list[dict[str, Any]]:
        out = []
        for c in self.columns:
            state = None
            if c.sort and self.sort.lstrip("-") == c.key:
                state = "desc" if self.sort.startswith("-") else "asc"
            toggle = f"-{c.key}" if state == "asc" else c.key
            out.append({"column": c, "state": state, "toggle": toggle if c.sort else None})
        return out

    def rows(self, objects) -> list[tuple[Any, list[tuple[Column, Any]]]]:
        return [(obj, [(c, c.render(obj, self.user)) for c in self.columns]) for obj in objects]
