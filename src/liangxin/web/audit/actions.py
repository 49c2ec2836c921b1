"""Writing the audit log. Every ``do_*`` action function of every app ends here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models

from liangxin.web.audit.models import AuditLog, AuditPlace
from liangxin.web.core.middleware import current_request_id

Action = AuditLog.Action


def jsonable(value: Any) -> Any:
    """A value as the audit log and the import preview store it (JSON)."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: jsonable(getattr(obj, name)) for name in fields}


def entry(
    action: str,
    user=None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditLog:
    """An unsaved log entry (for ``bulk_create``); ``log`` saves one."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    authenticated = user is not None and user.is_authenticated
    return AuditLog(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        request_id=current_request_id(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        region_path=getattr(obj, "region_path", "") or "",
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        note=note,
    )


def log(action: str, user=None, obj: models.Model | None = None, **kwargs) -> AuditLog:
    record = entry(action, user, obj, **kwargs)
    record.save()
    return record


def log_many(entries: list[AuditLog]) -> None:
    AuditLog.objects.bulk_create(entries, batch_size=500)


def log_moves(moves: list[tuple[AuditLog, str]]) -> None:
    """Entries of objects that left a 镇街 for another, each also shown to the users of the
    region it left (the path paired with it)."""
    log_many([record for record, _ in moves])
    AuditPlace.objects.bulk_create(
        [AuditPlace(seq=record.seq, region_path=left) for record, left in moves], batch_size=500
    )
