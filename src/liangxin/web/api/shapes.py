"""What each endpoint returns, declared once: the JSON of an object and its OpenAPI schema
are both derived from these declarations, so the schema cannot drift from the responses.

Personal data is masked exactly as on the pages (``core.masking``); the API never reveals it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from liangxin.engine.labels import FLAG_LABELS, PARTY_FINDING_LABELS
from liangxin.engine.screen.wording import REASON_SEPARATOR
from liangxin.web.core.masking import PERSONAL_FIELDS, mask_field
from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.models import ENGINE_FIELDS, Org
from liangxin.web.partyorgs.models import PartyOrg

Schema = dict[str, Any]


def _nullable(schema: Schema) -> Schema:
    return {**schema, "type": [schema["type"], "null"]}


def field_schema(model_field: models.Field) -> Schema:
    if isinstance(model_field, models.BooleanField):
        schema: Schema = {"type": "boolean"}
    elif isinstance(model_field, (models.IntegerField, models.AutoField)):
        schema = {"type": "integer"}
    elif isinstance(model_field, models.FloatField):
        schema = {"type": "number"}
    elif isinstance(model_field, models.DateField):
        schema = {"type": "string", "format": "date"}
    else:
        schema = {"type": "string"}
    schema["description"] = str(model_field.verbose_name)
    if model_field.name in PERSONAL_FIELDS:
        schema["description"] += "（脱敏）"
    return _nullable(schema) if model_field.null else schema


def _json(value):
    if isinstance(value, datetime.datetime):  # with the configured zone's offset (+08:00)
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Extra:
    """A computed property: its value from the object (and the requesting user) and its schema."""

    schema: Schema
    value: Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Shape:
    name: str  # the schema component's name
    model: type[models.Model]
    fields: tuple[str, ...]
    extras: dict[str, Extra] = field(default_factory=dict)

    def dump(self, obj, user) -> dict[str, Any]:
        out: dict[str, Any] = {"id": obj.pk}
        for name in self.fields:
            out[name] = _json(mask_field(name, getattr(obj, name)))
        for name, extra in self.extras.items():
            out[name] = extra.value(obj, user)
        return out

    def schema(self) -> Schema:
        properties: dict[str, Schema] = {"id": {"type": "integer", "description": "编号"}}
        for name in self.fields:
            properties[name] = field_schema(self.model._meta.get_field(name))
        for name, extra in self.extras.items():
            properties[name] = extra.schema
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }


def _label(name: str):
    return lambda obj, user: getattr(obj, f"get_{name}_display")() if getattr(obj, name) else None


def _reasons(obj, user) -> list[str]:
    return [r for r in (obj.reasons or "").split(REASON_SEPARATOR) if r]


def _holding(labels: dict[str, str]):
    return lambda obj, user: [name for name in labels if getattr(obj, name)]


def _related(manager: str, model: type[models.Model]):
    """The pks of related objects that the user may see (never those outside the scope)."""

    def value(obj, user) -> list[int]:
        visible = model.objects.restrict(user).values("pk")
        return sorted(getattr(obj, manager).filter(pk__in=visible).values_list("pk", flat=True))

    return value


STRINGS: Schema = {"type": "array", "items": {"type": "string"}}
IDS: Schema = {"type": "array", "items": {"type": "integer"}}
REASONS = Extra({**STRINGS, "description": "各项判断的说明"}, _reasons)


def _enum_list(labels: dict[str, str], description: str) -> Schema:
    detail = "；".join(f"{k}：{v}" for k, v in labels.items())
    return {
        "type": "array",
        "items": {"type": "string", "enum": list(labels)},
        "description": f"{description}（{detail}）",
    }


ORG_LIST_FIELDS = (
    "org_id", "credit_code", "name", "kind", "subtype", "town", "employees", "formal_members",
    "revenue_wan", "in_scope", "exclusion_reason", "org_covered", "work_covered", "needs_review",
)  # fmt: skip
# Every other value the engine gives an organization, but the flags (``flags``), the reasons and
# sources (extras of their own) and the bookkeeping of the run.
ORG_DETAIL_FIELDS = ORG_LIST_FIELDS + tuple(
    name
    for name in ENGINE_FIELDS
    if name not in ORG_LIST_FIELDS
    and name not in FLAG_LABELS
    and name not in {"reasons", "sources", "source_rows", "single_party_org_id"}
)
ORG_FLAGS = Extra(_enum_list(FLAG_LABELS, "成立的标志"), _holding(FLAG_LABELS))

ORG = Shape(
    "Org",
    Org,
    ORG_LIST_FIELDS,
    {
        "kind_label": Extra({"type": "string", "description": "类别"}, _label("kind")),
        "flags": ORG_FLAGS,
    },
)
ORG_DETAIL = Shape(
    "OrgDetail",
    Org,
    ORG_DETAIL_FIELDS,
    {
        **ORG.extras,
        "reasons": REASONS,
        "sources": Extra(
            {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "各项取值的来源（文件［工作表］第N行，或网页修改）",
            },
            lambda org, user: dict(org.sources or {}),
        ),
        "party_orgs": Extra({**IDS, "description": "所在党组织"}, _related("party_orgs", PartyOrg)),
        "instructors": Extra(
            {**IDS, "description": "党建工作指导员"}, _related("instructors", Instructor)
        ),
    },
)

PARTY_ORG_FIELDS = (
    "entity_id", "name", "type", "mode", "town", "secretary", "formal_members",
    "probationary_members", "members_total", "unit_count", "units_in_scope", "active",
)  # fmt: skip
PARTY_ORG_FINDINGS = Extra(
    _enum_list(PARTY_FINDING_LABELS, "检查结果"), _holding(PARTY_FINDING_LABELS)
)
PARTY_ORG = Shape(
    "PartyOrg",
    PartyOrg,
    PARTY_ORG_FIELDS,
    {
        "type_label": Extra(_nullable({"type": "string", "description": "类别"}), _label("type")),
        "mode_label": Extra(
            _nullable({"type": "string", "description": "组建方式"}), _label("mode")
        ),
        "findings": PARTY_ORG_FINDINGS,
    },
)
PARTY_ORG_DETAIL = Shape(
    "PartyOrgDetail",
    PartyOrg,
    PARTY_ORG_FIELDS
    + ("type_text", "mode_text", "superior", "founded_on", "status", "suggested_type", "source"),
    {
        **PARTY_ORG.extras,
        "reasons": REASONS,
        "units": Extra({**IDS, "description": "所在单位（本用户可见的）"}, _related("units", Org)),
    },
)

INSTRUCTOR_FIELDS = (
    "entity_id", "name", "unit", "position", "full_time", "town", "phone", "orgs_guided",
    "orgs_with_party_org", "orgs_without_party_org", "over_capacity",
)  # fmt: skip
INSTRUCTOR = Shape("Instructor", Instructor, INSTRUCTOR_FIELDS)
INSTRUCTOR_DETAIL = Shape(
    "InstructorDetail",
    Instructor,
    INSTRUCTOR_FIELDS + ("source",),
    {
        "reasons": REASONS,
        "orgs": Extra({**IDS, "description": "联系单位（本用户可见的）"}, _related("orgs", Org)),
    },
)

SHAPES = (ORG, ORG_DETAIL, PARTY_ORG, PARTY_ORG_DETAIL, INSTRUCTOR, INSTRUCTOR_DETAIL)
