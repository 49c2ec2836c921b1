"""Template filters used on every page (loaded as a builtin)."""

from __future__ import annotations

from typing import Any

from django import template

from liangxin.engine.labels import COUNT_LABELS, RATE_LABELS, SUBTYPE_LABELS
from liangxin.engine.rates import percent_text, percent_with_counts
from liangxin.web.core.display import datetime_text, show
from liangxin.web.core.labels import field_label

register = template.Library()


register.filter("show", show)
register.filter("datetime_text", datetime_text)
register.filter("field_label", field_label)


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
def percent(rate: dict[str, Any]) -> str:
    """A metrics rate ({numerator, denominator, …}) as shown: rounded once, half-up."""
    return percent_text(rate["numerator"], rate["denominator"])


@register.filter
def rate_text(rate) -> str:
    """A rate with its numerator and denominator: “54.7%（47/86）”."""
    if not rate:
        return "—"
    return percent_with_counts(rate["numerator"], rate["denominator"])


@register.filter
def metric_label(key: str) -> str:
    """The name of a count or rate of the metrics (engine/labels.py): “党组织覆盖率”."""
    return {**COUNT_LABELS, **RATE_LABELS}[key]


@register.filter
def department_scope(user) -> str:
    """A 部门用户's scope as words: “社会组织类型：社会团体、基金会”, not the stored codes."""
    parts = [
        ("行业", user.dept_industries),
        ("业务主管单位", user.dept_supervisors),
        ("社会组织类型", [SUBTYPE_LABELS.get(s, s) for s in user.dept_subtypes]),
    ]
    return "；".join(f"{label}：{'、'.join(values)}" for label, values in parts if values) or "—"


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
