"""core.bulk.insert: COPY on PostgreSQL, bulk_create on SQLite — the same rows either way."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from liangxin.web.core.bulk import BULK_LOAD, after_bulk_load, insert
from liangxin.web.orgs.models import Org
from liangxin.web.sources.models import SourceRecord

pytestmark = pytest.mark.django_db

AWKWARD = [
    "制表符\t在中间",
    "换行\n和回车\r",
    "反斜杠 \\N 不是空值",
    "引号 \" 和 '单引号'",
    "",
    "=SUM(A1)",
]


def test_values_round_trip_whatever_their_characters(county):
    file = SourceRecord.objects.first().file
    org = Org.objects.order_by("pk").first()
    rows = [
        SourceRecord(
            file=file,
            kind="survey",
            source_file="批量写入测试.xlsx",
            source_sheet=text,
            source_row=row,
            values={"单位名称": text, "从业人员数": row, "空": None, "列表": [text, 1.5]},
            org=org if row % 2 else None,
            entity_id=text[:40],
        )
        for row, text in enumerate(AWKWARD, start=2)
    ]
    insert(SourceRecord, rows, batch_size=4)  # two batches
    stored = SourceRecord.objects.filter(source_file="批量写入测试.xlsx").order_by("source_row")
    assert [
        (r.source_sheet, r.source_row, r.values, r.org_id, r.entity_id, r.file_id) for r in stored
    ] == [(r.source_sheet, r.source_row, r.values, r.org_id, r.entity_id, r.file_id) for r in rows]


def test_a_generator_reading_the_database_feeds_the_insert(county):
    """Period freezing streams organizations from a server-side cursor into the insert."""
    file = SourceRecord.objects.first().file
    before = SourceRecord.objects.count()
    orgs = Org.objects.order_by("pk")[:25]
    with transaction.atomic():
        insert(
            SourceRecord,
            (
                SourceRecord(
                    file=file,
                    kind="survey",
                    source_file="逐行读取.csv",
                    source_row=n,
                    values={"单位名称": name},
                    org_id=pk,
                )
                for n, (pk, name) in enumerate(
                    orgs.values_list("pk", "name").iterator(chunk_size=10), start=2
                )
            ),
            batch_size=7,
        )
    copied = SourceRecord.objects.filter(source_file="逐行读取.csv")
    assert SourceRecord.objects.count() == before + 25
    assert {(r.org_id, r.values["单位名称"]) for r in copied} == set(orgs.values_list("pk", "name"))


@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_leaves_the_tables_vacuumed_and_analysed():
    if connection.vendor != "postgresql":
        assert not after_bulk_load(BULK_LOAD, [Org])  # nothing to do on SQLite
        return
    assert not after_bulk_load(BULK_LOAD - 1, [Org])  # an ordinary import: autovacuum's job
    with transaction.atomic():
        assert not after_bulk_load(BULK_LOAD, [Org])  # VACUUM cannot run in a transaction
    assert after_bulk_load(BULK_LOAD, [Org, SourceRecord])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL "
            "AND last_analyze IS NOT NULL AND relname IN ('orgs_org', 'sources_sourcerecord')"
        )
        assert {name for (name,) in cursor.fetchall()} == {"orgs_org", "sources_sourcerecord"}
