"""The audit log's integrity (等保 三级 安全审计): every record is chained to the previous one.

``mac(n) = HMAC-SHA-256(key, mac(n-1) || canonical(record n))`` with the key from
``LIANGXIN_AUDIT_KEY``; ``seq`` numbers the records 1, 2, 3…  A record edited, inserted or
deleted afterwards, even with raw SQL, breaks the chain at that point, and ``verify`` finds it.
The head row (``AuditHead``) holds the last ``seq`` and ``mac``, so removing the newest records
is found too, and is the row locked while a record is appended, so that concurrent writers
queue rather than fork the chain. Records older than the retention period may be purged; the
head then remembers the last purged record's ``seq`` and ``mac`` as the base.

This module only computes; ``models`` seals records as they are saved (``link``) and
``integrity`` verifies and purges, so that no two files import each other.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

from django.conf import settings

GENESIS = "0" * 64
FIELDS = (
    "time",
    "username",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "region_path",
    "before",
    "after",
    "note",
)


def _number(value):
    """JSON numbers as any database gives them back (jsonb prints 1e20 as an integer)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_number(v) for v in value]
    return value


def canonical(record) -> bytes:
    values = {"seq": record.seq}
    for name in FIELDS:
        value = getattr(record, name)
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).isoformat()
        values[name] = _number(value)
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_mac(previous: str, record) -> str:
    key = settings.LIANGXIN_AUDIT_KEY.encode()
    return hmac.new(key, previous.encode() + b"\n" + canonical(record), hashlib.sha256).hexdigest()
