"""imports/0004_row_reports moves the rows earlier previews kept in one JSON value each into
their tables (PreviewPair, RejectedRow, ValueProblem)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db

BEFORE = [("imports", "0003_change_slices")]
AFTER = [("imports", "0004_row_reports")]


def test_the_json_rows_of_earlier_previews_move_into_tables(users):
    if connection.vendor == "sqlite":  # SQLite cannot alter tables inside the test's transaction
        pytest.skip("runs on PostgreSQL")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    batch = old.get_model("imports", "ImportBatch").objects.create(
        created_by_id=users["admin"].pk, review=[{"record_key": "a"}, {"record_key": "b"}]
    )
    file = old.get_model("imports", "ImportFile").objects.create(
        batch=batch, name="参保.csv", path="/x", size=1, sha256="0" * 64,
        report={
            "accepted": 1, "rejected": 1,
            "rejects": [{"source_file": "参保.csv", "source_sheet": "", "source_row": 3,
                         "reason": "缺少名称和统一社会信用代码"}],
            "problems": [{"source_file": "参保.csv", "source_sheet": "", "source_row": 2,
                          "column": "参保人数", "value": "十二", "problem": "不是数字"}],
        },
    )  # fmt: skip
    with connection.cursor() as cursor:  # the rows' foreign keys checked now, not at the end
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    pairs = new.get_model("imports", "PreviewPair").objects.filter(batch_id=batch.pk)
    assert [p.pair["record_key"] for p in pairs.order_by("position")] == ["a", "b"]
    rejected = new.get_model("imports", "RejectedRow").objects.get(file_id=file.pk)
    assert (rejected.sheet, rejected.row, rejected.reason) == ("", 3, "缺少名称和统一社会信用代码")
    problem = new.get_model("imports", "ValueProblem").objects.get(file_id=file.pk)
    assert (problem.row, problem.column, problem.value) == (2, "参保人数", "十二")
    report = new.get_model("imports", "ImportFile").objects.get(pk=file.pk).report
    assert report == {"accepted": 1, "rejected": 1}
