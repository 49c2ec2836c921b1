"""Template filters used on every page (loaded as a builtin)."""

from __future__ import annotations

import datetime

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

register = template.Library()


@register.filter
def show(value):
    """A value as a person reads it: 是/否, “—” for unknown, plain numbers."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime.datetime):  # stored in UTC, shown in TIME_ZONE
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or "—"
    return value


@register.filter
def field_label(name: str) -> str:
    """The Chinese label of an organization's (or party organization's…) field."""
    for label in ("orgs.Org", "partyorgs.PartyOrg", "instructors.Instructor", "parks.Park"):
        model = apps.get_model(label)
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return {"sources": "取值来源", "units": "所在单位", "status": "状态", "files": "文件"}.get(
        name, name
    )


@register.filter
def verbose_name(obj) -> str:
    return str(obj._meta.verbose_name)


@register.filter
def split(text: str) -> list[str]:
    return text.split()


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def mask_person(value):
    from liangxin.web.core.masking import mask

    return mask(value, "person")


SUMMARY_FIELDS = ("credit_code", "town", "kind", "type", "source_file", "source_row", "source")


@register.filter
def summary(row) -> str:
    """A few identifying values of a proposed row, for the preview lists."""
    if not isinstance(row, dict):
        return ""
    parts = [
        f"{field_label(k)}：{show(row[k])}" for k in SUMMARY_FIELDS if row.get(k) not in (None, "")
    ]
    return "；".join(parts)


@register.filter
def percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@register.filter
def masked(value, field: str):
    """A logged or proposed value of ``field``, personal data masked, as a person reads it."""
    from liangxin.web.core.masking import mask_field

    return show(mask_field(field, value))


@register.simple_tag(takes_context=True)
def change_rows(context, entry):
    """The readable rows of an audit entry, for the user viewing the page."""
    from liangxin.web.core.history import change_rows as rows

    return rows(entry, getattr(context.get("request"), "user", None))
