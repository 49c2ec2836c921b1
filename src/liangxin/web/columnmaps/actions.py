"""Confirming and forgetting a template's column meanings (county admins only, audited)."""

from __future__ import annotations

from django.db import transaction

from liangxin.engine.intake.config import file_pattern
from liangxin.engine.schema import SCHEMAS, Kind
from liangxin.web.audit.actions import Action, log
from liangxin.web.columnmaps.models import ColumnMap
from liangxin.web.core.permissions import MAP_COLUMNS, require

FIELDS = ("kind", "headers")


class MappingError(ValueError):
    pass


def do_save_mapping(user, file_name: str, kind: str, headers: dict[str, str]) -> ColumnMap:
    """Remember what each header of files named like ``file_name`` means."""
    require(user, MAP_COLUMNS)
    try:
        schema = SCHEMAS[Kind(kind)]
    except ValueError:
        raise MappingError("请选择文件类型") from None
    own = {f.name for f in schema.fields}
    wrong = [h for h, f in headers.items() if f and f not in own]
    if wrong:
        raise MappingError(f"「{'、'.join(wrong)}」的含义不属于这类文件")
    chosen = [f for f in headers.values() if f]
    twice = sorted({f for f in chosen if chosen.count(f) > 1})
    if twice:
        labels = "、".join(schema.field(f).label for f in twice)
        raise MappingError(f"“{labels}”被选给了多列，每个含义只能对应一列")
    if not set(chosen) & set(schema.identity):
        labels = "或".join(schema.field(f).label for f in schema.identity)
        raise MappingError(f"至少要有一列是“{labels}”，否则无法确定每行是哪个单位")
    pattern = file_pattern(file_name)
    with transaction.atomic():
        existing = ColumnMap.objects.filter(pattern=pattern).first()
        before = {"kind": existing.kind, "headers": existing.headers} if existing else None
        obj, created = ColumnMap.objects.update_or_create(
            pattern=pattern, defaults={"kind": kind, "headers": headers, "updated_by": user}
        )
        log(
            Action.CREATE if created else Action.UPDATE,
            user,
            obj,
            before=before,
            after={"kind": kind, "headers": headers},
        )
    return obj


def do_delete_mapping(user, mapping: ColumnMap) -> None:
    require(user, MAP_COLUMNS)
    with transaction.atomic():
        log(
            Action.DELETE,
            user,
            mapping,
            before={"kind": mapping.kind, "headers": mapping.headers},
        )
        mapping.delete()
