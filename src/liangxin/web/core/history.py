"""An object's change history as a person reads it: one row per changed field with its Chinese
label and the value before → after (personal data masked, codes as their labels, units as
names). The ``sources`` bookkeeping is not shown as such: each changed value says where its
new value came from (“来源：文件［工作表］第N行”)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from liangxin.engine.labels import KIND_LABELS, SUBTYPE_LABELS
from liangxin.web.core.display import show
from liangxin.web.core.labels import field_label
from liangxin.web.core.masking import mask_field

SOURCES = "sources"
UNIT_FIELDS = {"units", "orgs"}  # org_id lists of party organizations, instructors, parks
VALUE_LABELS = {"subtype": SUBTYPE_LABELS}


@dataclass
class ChangeRow:
    label: str
    before: str
    after: str
    source: str = ""


def _model(object_type: str):
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except LookupError:
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def label(model, name: str) -> str:
    field = _field(model, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return field_label(name)


def _units(org_ids, user) -> str:
    # looked up by name: the base does not import the apps built on it
    Org = apps.get_model("orgs", "Org")
    ids = list(org_ids or [])
    if not ids:
        return "—"
    names = list(
        Org.objects.restrict(user)
        .filter(org_id__in=ids)
        .order_by("name_sort")
        .values_list("name", flat=True)
    )
    hidden = len(ids) - len(names)
    text = "、".join(names)
    if hidden:
        text += f"{'，' if names else ''}另有{hidden}个不在您查看范围内的单位"
    return text


def shown(model, name: str, value, user) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name in UNIT_FIELDS and isinstance(value, list):
        return _units(value, user)
    if name == "source_kinds" and isinstance(value, str):
        return "、".join(str(KIND_LABELS.get(k, k)) for k in value.split(";") if k)
    field = _field(model, name)
    choices = dict(getattr(field, "choices", None) or {})
    choices = choices or VALUE_LABELS.get(name, {})
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    if isinstance(value, dict):
        return "；".join(f"{label(model, k)}：{show(v)}" for k, v in value.items()) or "—"
    if isinstance(field, models.DateField) and isinstance(value, str):
        value = _logged_date(field, value)
    return str(show(mask_field(name, value)))


def _logged_date(field, value: str):
    """A date (or a moment, stored in UTC and shown in TIME_ZONE) the audit log keeps as ISO text,
    back as a date (shown as 2020年6月30日)."""
    parse = (
        datetime.datetime.fromisoformat
        if isinstance(field, models.DateTimeField)
        else datetime.date.fromisoformat
    )
    try:
        return parse(value)
    except ValueError:
        return value


def _source_text(value) -> str:
    return f"来源：{value}" if value else "来源：无"


def change_rows(entry, user) -> list[ChangeRow]:
    """The rows of one audit entry (a creation lists the values it set)."""
    model = _model(entry.object_type)
    rows: dict[str, ChangeRow] = {}
    sources: tuple[dict, dict] | None = None
    for name, old, new in entry.changed_fields():
        if name == SOURCES:
            sources = (old or {}, new or {})
            continue
        rows[name] = ChangeRow(
            label(model, name), shown(model, name, old, user), shown(model, name, new, user)
        )
    if sources is not None:
        old_sources, new_sources = sources
        for name in sorted(set(old_sources) | set(new_sources)):
            old, new = old_sources.get(name), new_sources.get(name)
            if old == new:
                continue
            if name in rows:
                rows[name].source = _source_text(new)
            else:  # the value stayed, its source changed
                rows[name] = ChangeRow(f"{label(model, name)}的来源", old or "—", new or "—")
    return list(rows.values())
