"""Materialised paths: a region's path is its ancestors' ids, ``/1/5/23/``.

“This region and everything below it” is ``path__under=region.path``: one range scan on an
index. PostgreSQL gets ``LIKE 'prefix%'`` (Django adds a ``varchar_pattern_ops`` index for
indexed char fields); SQLite gets ``path >= prefix AND path < next`` on its binary index,
because SQLite's case-insensitive ``LIKE`` cannot use an ordinary index.
"""

from __future__ import annotations

from django.db import models

SEPARATOR = "/"


class PathField(models.CharField):
    """A materialised path; indexed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)


def next_prefix(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


@PathField.register_lookup
class Under(models.Lookup):
    lookup_name = "under"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = self.rhs
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, next_prefix(prefix)]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        escaped = self.rhs.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{lhs} LIKE %s", [*lhs_params, escaped + "%"]


def child_path(parent_path: str, pk: int) -> str:
    return f"{parent_path or SEPARATOR}{pk}{SEPARATOR}"
