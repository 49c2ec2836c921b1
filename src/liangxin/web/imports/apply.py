"""Write the changes of a preview (or of a re-screening) to the database, with audit entries.

Callers run this inside one transaction: a failure anywhere leaves the data as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from liangxin.web.audit.actions import Action, entry, log_many
from liangxin.web.core.bulk import chunks, insert
from liangxin.web.imports.models import Change
from liangxin.web.imports.specs import INSTRUCTOR, ORG, PARK, PARTY_ORG, RECORD, Spec
from liangxin.web.orgs.models import Org
from liangxin.web.regions.places import Placer
from liangxin.web.sources.models import SourceRecord

CHUNK = 500


def apply_changes(
    changes: Iterable[Change],
    user,
    note: str,
    county: str = "",
    files: dict[str, int] | None = None,
) -> None:
    by_model: dict[str, list[Change]] = {}
    for change in changes:
        by_model.setdefault(change.model, []).append(change)
    placer = Placer(county)
    audit: list = []
    for spec in (ORG, PARTY_ORG, INSTRUCTOR, PARK):
        _apply_objects(spec, by_model.get(spec.name, []), placer, user, note, audit)
    _apply_records(by_model.get(RECORD.name, []), files or {})
    log_many(audit)


def _set_fields(obj: models.Model, spec: Spec, row: dict[str, Any], placer: Placer) -> None:
    for name in spec.fields:
        field = spec.model._meta.get_field(name)
        value = row.get(name)
        if value is None and not field.null:
            value = field.get_default()
        setattr(obj, name, field.to_python(value) if value is not None else None)
    region = placer.place(row.get("town"), row.get("address"))
    obj.region, obj.region_path = region, region.path


def _by_key(spec: Spec, keys: list[str]) -> dict[str, models.Model]:
    found = {}
    for chunk in chunks(keys):
        for obj in spec.model.objects.filter(**{f"{spec.key}__in": chunk}):
            found[getattr(obj, spec.key)] = obj
    return found


def _apply_objects(spec: Spec, changes: list[Change], placer, user, note, audit) -> None:
    grouped = {a: [c for c in changes if c.action == a] for a in Change.Action}
    removed = _by_key(spec, [c.key for c in grouped[Change.Action.REMOVED]])
    for change in grouped[Change.Action.REMOVED]:
        audit.append(
            entry(Action.DELETE, user, removed[change.key], before=change.before, note=note)
        )
    for chunk in chunks([obj.pk for obj in removed.values()]):
        spec.model.objects.filter(pk__in=chunk).delete()

    created = []
    for change in grouped[Change.Action.NEW]:
        obj = spec.model()
        _set_fields(obj, spec, change.after, placer)
        created.append(obj)
    insert(spec.model, created)
    created_by_key = _by_key(spec, [c.key for c in grouped[Change.Action.NEW]])
    for change in grouped[Change.Action.NEW]:
        audit.append(
            entry(Action.CREATE, user, created_by_key[change.key], after=change.after, note=note)
        )

    updated = _by_key(spec, [c.key for c in grouped[Change.Action.UPDATED]])
    for change in grouped[Change.Action.UPDATED]:
        obj = updated[change.key]
        _set_fields(obj, spec, change.after, placer)
        fields = change.changed_fields()
        before = {name: old for name, old, _ in fields}
        after = {name: new for name, _, new in fields}
        audit.append(entry(Action.UPDATE, user, obj, before=before, after=after, note=note))
    spec.model.objects.bulk_update(
        list(updated.values()), [*spec.fields, "region", "region_path"], batch_size=CHUNK
    )
    if spec.units:
        unit_changes = grouped[Change.Action.NEW] + grouped[Change.Action.UPDATED]
        owners = {**created_by_key, **updated}
        _set_units(spec, [(owners[c.key], c.after.get("units", [])) for c in unit_changes])


def org_pks(org_ids: Iterable[str]) -> dict[str, int]:
    """The primary keys of the organizations with these engine ids (those that exist)."""
    ids = sorted(set(org_ids))
    found: dict[str, int] = {}
    for chunk in chunks(ids, 5000):
        found.update(Org.objects.filter(org_id__in=chunk).values_list("org_id", "pk"))
    return found


def _set_units(spec: Spec, pairs: list[tuple[models.Model, list[str]]]) -> None:
    through = getattr(spec.model, spec.units).through
    own = f"{spec.model._meta.model_name}_id"
    org_pk = org_pks(org_id for _, units in pairs for org_id in units)
    for chunk in chunks([obj.pk for obj, _ in pairs]):
        through.objects.filter(**{f"{own}__in": chunk}).delete()
    rows = [
        through(**{own: obj.pk, "org_id": org_pk[org_id]})
        for obj, units in pairs
        for org_id in units
        if org_id in org_pk
    ]
    insert(through, rows)


def _record_fields(record: SourceRecord, row: dict, org_pk: dict, files: dict) -> SourceRecord:
    record.kind = row["kind"]
    record.source_file = row["source_file"]
    record.source_sheet = row["source_sheet"]
    record.source_row = row["source_row"]
    record.values = row["values"]
    record.org_id = org_pk.get(row["org_id"]) if row["org_id"] else None
    record.entity_id = row["entity_id"] or ""
    if row["source_file"] in files:
        record.file_id = files[row["source_file"]]
    return record


def _apply_records(changes: list[Change], files: dict[str, int]) -> None:
    if not changes:
        return
    org_pk = dict(Org.objects.values_list("org_id", "pk"))
    grouped = {a: [c for c in changes if c.action == a] for a in Change.Action}
    touched = {(c.before or c.after)["source_file"] for c in changes}
    stored = {
        r.key: r
        for r in SourceRecord.objects.filter(source_file__in=touched).only(
            "pk", "source_file", "source_sheet", "source_row"
        )
    }
    gone = [stored[c.key].pk for c in grouped[Change.Action.REMOVED]]
    for chunk in chunks(gone):
        SourceRecord.objects.filter(pk__in=chunk).delete()
    insert(
        SourceRecord,
        (
            _record_fields(SourceRecord(), c.after, org_pk, files)
            for c in grouped[Change.Action.NEW]
        ),
    )
    SourceRecord.objects.bulk_update(
        [
            _record_fields(stored[c.key], c.after, org_pk, files)
            for c in grouped[Change.Action.UPDATED]
        ],
        ["kind", "values", "org", "entity_id", "file"],
        batch_size=CHUNK,
    )
