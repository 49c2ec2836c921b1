"""Write the changes of a preview (or of a re-screening) to the database, with audit entries.

Callers run this inside one transaction: a failure anywhere leaves the data as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import polars as pl
from django.db import models

from liangxin.engine.reconcile import NOT_FOUND_SCHEMA
from liangxin.web.assign.models import Assignment
from liangxin.web.audit.actions import Action, entry, log_many, log_moves
from liangxin.web.audit.models import AuditLog
from liangxin.web.closures.models import Closure
from liangxin.web.core.bulk import chunks, insert
from liangxin.web.core.sortkey import fill_sort_keys
from liangxin.web.county.models import Change, NotFoundRow
from liangxin.web.county.specs import INSTRUCTOR, ORG, PARK, PARTY_ORG, RECORD, Spec
from liangxin.web.orgs.models import Org, SurveyFact, org_pks
from liangxin.web.periods.models import PeriodOrg
from liangxin.web.regions.models import town_path
from liangxin.web.regions.places import Placer
from liangxin.web.review.models import ReviewItem
from liangxin.web.sources.models import SourceRecord
from liangxin.web.verify.models import VerificationTask

# Every table applying a run's changes writes in bulk, and those a removed organization's rows are deleted
# from or unlinked in. At a million organizations, one left without statistics (the audit
# log's) had the planner scan a million rows on every detail page.
WRITTEN = (
    Org,
    SourceRecord,
    *(spec.model for spec in (PARTY_ORG, INSTRUCTOR, PARK)),
    *(spec.through for spec in (PARTY_ORG, INSTRUCTOR, PARK)),
    Closure,
    ReviewItem,
    NotFoundRow,
    AuditLog,
    SurveyFact,
    Assignment,
    PeriodOrg,
    VerificationTask,
)

CHUNK = 500
SLICE = 5000

# (model, action) → the changes of that model and action, a slice at a time
Slices = Callable[[str, str], Iterable[list[Change]]]


def in_memory(changes: Iterable[Change]) -> Slices:
    """The slices of changes already in memory (a re-screening's)."""
    grouped: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        grouped.setdefault((change.model, change.action), []).append(change)
    return lambda model, action: chunks(grouped.get((model, action), []), SLICE)


def of_batch(batch) -> Slices:  # an imports.ImportBatch
    """The slices of a preview's stored changes, read a slice at a time (a county's first
    import is millions of changes)."""

    def slices(model: str, action: str) -> Iterator[list[Change]]:
        last = 0
        rows = batch.changes.filter(model=model, action=action).order_by("pk")
        while found := list(rows.filter(pk__gt=last)[:SLICE]):
            yield found
            last = found[-1].pk

    return slices


def apply_changes(
    slices: Slices, user, note: str, county: str = "", files: dict[str, int] | None = None
) -> None:
    """Removed, new and updated objects of each model in turn (organizations first: the
    others link to them), then the source rows; audited a slice at a time."""
    placer = Placer(county)
    for spec in (ORG, PARTY_ORG, INSTRUCTOR, PARK):
        for removed in slices(spec.name, Change.Action.REMOVED):
            _remove(spec, removed, user, note)
        for new in slices(spec.name, Change.Action.NEW):
            _create(spec, new, placer, user, note)
        for updated in slices(spec.name, Change.Action.UPDATED):
            _update(spec, updated, placer, user, note)
    for action in (Change.Action.REMOVED, Change.Action.NEW, Change.Action.UPDATED):
        for changes in slices(RECORD.name, action):
            _apply_records(action, changes, files or {})


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


def _remove(spec: Spec, changes: list[Change], user, note: str) -> None:
    removed = _by_key(spec, [c.key for c in changes])
    log_many(
        [entry(Action.DELETE, user, removed[c.key], before=c.before, note=note) for c in changes]
    )
    for chunk in chunks([obj.pk for obj in removed.values()]):
        spec.model.objects.filter(pk__in=chunk).delete()


def _create(spec: Spec, changes: list[Change], placer: Placer, user, note: str) -> None:
    created = []
    for change in changes:
        obj = spec.model()
        _set_fields(obj, spec, change.after, placer)
        created.append(obj)
    insert(spec.model, created)
    stored = _by_key(spec, [c.key for c in changes])
    log_many([entry(Action.CREATE, user, stored[c.key], after=c.after, note=note) for c in changes])
    if spec.units:
        _set_units(spec, [(stored[c.key], c.after.get("units", [])) for c in changes])


def _update(spec: Spec, changes: list[Change], placer: Placer, user, note: str) -> None:
    updated = _by_key(spec, [c.key for c in changes])
    audit, moves = [], []
    for change in changes:
        obj = updated[change.key]
        left, town = town_path(obj.region_path), obj.town
        _set_fields(obj, spec, change.after, placer)
        fields = change.changed_fields()
        before = {name: old for name, old, _ in fields}
        after = {name: new for name, _, new in fields}
        audit.append(entry(Action.UPDATE, user, obj, before=before, after=after, note=note))
        if left is not None and left != town_path(obj.region_path):
            # its own entry, seen by the users of the 镇街 it left too (docs/security.md)
            move = entry(Action.MOVE, user, obj, {"town": town}, {"town": obj.town}, note=note)
            moves.append((move, left))
    log_many(audit)
    log_moves(moves)
    objects = list(updated.values())
    keys = fill_sort_keys(objects, spec.model)
    spec.model.objects.bulk_update(
        objects, [*spec.fields, *keys, "region", "region_path"], batch_size=CHUNK
    )
    if spec.units:
        _set_units(spec, [(updated[c.key], c.after.get("units", [])) for c in changes])


def _set_units(spec: Spec, pairs: list[tuple[models.Model, list[str]]]) -> None:
    through = spec.through
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


def _stored_records(changes: list[Change]) -> dict[str, SourceRecord]:
    """The stored source rows the changes name, by key (few queries: a slice of changes
    follows the rows of one or two sheets)."""
    by_sheet: dict[tuple[str, str], list[int]] = {}
    for change in changes:
        row = change.before or change.after
        by_sheet.setdefault((row["source_file"], row["source_sheet"]), []).append(row["source_row"])
    found = {}
    for (file, sheet), rows in by_sheet.items():
        for chunk in chunks(rows):
            for record in SourceRecord.objects.filter(
                source_file=file, source_sheet=sheet, source_row__in=chunk
            ).only("pk", "source_file", "source_sheet", "source_row", "file"):
                found[record.key] = record
    return found


def _apply_records(action: str, changes: list[Change], files: dict[str, int]) -> None:
    org_pk = org_pks(c.after["org_id"] for c in changes if c.after and c.after["org_id"])
    if action == Change.Action.NEW:
        insert(
            SourceRecord, (_record_fields(SourceRecord(), c.after, org_pk, files) for c in changes)
        )
        return
    stored = _stored_records(changes)
    if action == Change.Action.REMOVED:
        for chunk in chunks([stored[c.key].pk for c in changes]):
            SourceRecord.objects.filter(pk__in=chunk).delete()
        return
    SourceRecord.objects.bulk_update(
        [_record_fields(stored[c.key], c.after, org_pk, files) for c in changes],
        ["kind", "values", "org", "entity_id", "file"],
        batch_size=CHUNK,
    )


def replace_review(items: list[dict]) -> None:
    """The queue shows the engine's doubtful matches as of the last commit."""
    ReviewItem.objects.all().delete()
    org_pk = dict(Org.objects.values_list("org_id", "pk"))
    ReviewItem.objects.bulk_create(
        [
            ReviewItem(
                **item,
                org_id=org_pk.get(item["record_org_id"]),
                candidate_id=org_pk.get(item["candidate_org_id"]),
            )
            for item in items
        ],
        batch_size=500,
    )


def replace_not_found(rows: pl.DataFrame) -> None:
    """The rows found in no register (``Reconciled.not_found``) as of the last commit or
    whole-county re-screening, in the engine's order."""
    NotFoundRow.objects.all().delete()
    org_pk = org_pks(rows["org_id"].drop_nulls())
    insert(
        NotFoundRow,
        (
            NotFoundRow(org_id=org_pk.get(row["record_org_id"]), **row)
            for row in rows.select(list(NOT_FOUND_SCHEMA))
            .rename({"org_id": "record_org_id"})
            .iter_rows(named=True)
        ),
    )
