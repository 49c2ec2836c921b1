"""What the import compares and writes, per model: its key, its fields, its units.

A *row* is a JSON-able dict of a model's engine values (plus ``units``: the org_ids of a
party organization, instructor or park). The preview compares the rows the engine proposes
with the rows stored; the commit writes the difference.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import DateField

from liangxin.web.audit.actions import jsonable
from liangxin.web.core.sortkey import sort_key_fields
from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.models import ENGINE_FIELDS, Org
from liangxin.web.parks.models import Park
from liangxin.web.partyorgs.models import PartyOrg
from liangxin.web.sources.keys import record_key
from liangxin.web.sources.models import SourceRecord


@dataclass(frozen=True)
class Spec:
    name: str
    label: str  # Chinese name shown in the preview
    model: type[models.Model]
    key: str
    fields: tuple[str, ...]
    units: str | None = None  # many-to-many to Org, by org_id
    placed: bool = True  # has region/region_path, placed by ``town``
    audited: bool = True  # one audit entry per created/updated/removed object

    @property
    def through(self) -> type[models.Model]:
        """The table linking the model to its units (``units`` must be set)."""
        return getattr(self.model, self.units).through

    def current_rows(self, pks: list[int] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every stored object's row, or those of the objects with primary keys ``pks``."""
        objects = self.model.objects.all() if pks is None else self.model.objects.filter(pk__in=pks)
        units: dict[int, list[str]] = {}
        if self.units:
            through = self.through
            own = f"{self.model._meta.model_name}_id"
            links = (
                through.objects.all()
                if pks is None
                else through.objects.filter(**{f"{own}__in": pks})
            )
            for owner, org_id in links.values_list(own, "org__org_id"):
                units.setdefault(owner, []).append(org_id)
        # only dates differ from their JSON form (a JSON column is read as JSON)
        dates = [f for f in self.fields if isinstance(self.model._meta.get_field(f), DateField)]
        for row in objects.values("pk", *self.fields).iterator(chunk_size=2000):
            pk = row.pop("pk")
            for field in dates:
                row[field] = jsonable(row[field])
            if self.units:
                row["units"] = sorted(units.get(pk, []))
            yield str(row[self.key]), row


def _entity_fields(model: type[models.Model], *, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    skip = {"id", "region", "region_path", *exclude, *(f.name for f in sort_key_fields(model))}
    return tuple(f.name for f in model._meta.concrete_fields if f.name not in skip)


ORG = Spec("org", "单位", Org, "org_id", ENGINE_FIELDS)
PARTY_ORG = Spec("partyorg", "党组织", PartyOrg, "entity_id", _entity_fields(PartyOrg), "units")
INSTRUCTOR = Spec(
    "instructor", "指导员", Instructor, "entity_id", _entity_fields(Instructor), "orgs"
)
PARK = Spec("park", "园区楼宇", Park, "entity_id", _entity_fields(Park), "units")
RECORD = Spec(
    "record",
    "部门数据行",
    SourceRecord,
    "key",
    ("kind", "source_file", "source_sheet", "source_row", "values", "org_id", "entity_id"),
    placed=False,
    audited=False,
)
SPECS = (ORG, PARTY_ORG, INSTRUCTOR, PARK, RECORD)
BY_NAME = {spec.name: spec for spec in SPECS}


def current_records(records=None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Stored source rows (all, or the queryset ``records``) in their row form (``org_id`` is
    the engine's id of the linked org)."""
    rows = (SourceRecord.objects.all() if records is None else records).values(
        "kind", "source_file", "source_sheet", "source_row", "values", "entity_id", "org__org_id"
    )
    for values in rows.iterator(chunk_size=2000):
        values["org_id"] = values.pop("org__org_id")
        yield (
            record_key(values["source_file"], values["source_sheet"], values["source_row"]),
            values,
        )
