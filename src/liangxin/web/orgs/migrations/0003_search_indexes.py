"""Indexes for searching the 组织 list on PostgreSQL (docs/performance.md §3); nothing on SQLite.

- ``name LIKE '%…%'`` (the search box): a trigram GIN index (pg_trgm), used for search text
  of three characters or more;
- ``credit_code LIKE '…%'`` (a credit code typed from its start): ``varchar_pattern_ops``,
  since the database's collation is not C.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS org_name_trgm ON orgs_org USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS org_credit_code_like ON orgs_org (credit_code varchar_pattern_ops)",
]
DROP = ["DROP INDEX IF EXISTS org_name_trgm", "DROP INDEX IF EXISTS org_credit_code_like"]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_org_version"),
    ]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
