"""Insert many new rows at once: COPY on PostgreSQL, ``bulk_create`` elsewhere.

Django's ``bulk_create`` on PostgreSQL sends each batch as arrays (``INSERT … SELECT * FROM
UNNEST(…)``) that psycopg quotes element by element in Python; for the JSON columns of an
import (source rows, changes, audit entries) that ran at about 1,700 rows a second, most of a
100,000-organization import. COPY streams the same values about ten times as fast.

The objects' primary keys are not set (COPY returns none): callers that need them read the rows
back by their natural key, as they do after ``bulk_create`` on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from django.db import connections, models, router


def chunks(items: list, size: int = 500):
    """``items`` in slices of ``size``: ``__in`` lists stay below SQLite's limit on query
    parameters and PostgreSQL's statements stay small."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert(model: type[models.Model], objects: Iterable[models.Model], batch_size=2000) -> None:
    """Insert the objects, ``batch_size`` at a time.

    ``objects`` may be a generator reading the database (a server-side cursor on PostgreSQL):
    each batch is drawn before its COPY starts, as the connection can do one thing at a time.
    """
    database = router.db_for_write(model)
    connection = connections[database]
    if connection.vendor != "postgresql":
        models.QuerySet(model, using=database).bulk_create(objects, batch_size=batch_size)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    objects = iter(objects)
    while batch := list(islice(objects, batch_size)):
        rows = [
            [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in batch
        ]
        # the psycopg cursor under Django's wrapper: COPY is not part of the DB-API
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)


# A write of at least this many rows is a bulk load (a county's first import, say).
BULK_LOAD = 10_000


def after_bulk_load(rows: int, tables: Iterable[type[models.Model]]) -> bool:
    """Vacuum and analyse the tables a bulk load wrote, on PostgreSQL, outside a transaction.

    Autovacuum gets there only later: until then every count reads the heap (no visibility
    map) and the planner plans for the tables as they were. At a million organizations that
    doubled the list page's p95. Returns whether it ran.
    """
    tables = list(tables)
    connection = connections[router.db_for_write(tables[0])]
    if rows < BULK_LOAD or connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
    return True
