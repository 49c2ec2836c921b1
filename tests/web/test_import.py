"""Import in the browser: preview → commit in one transaction → re-import changes nothing."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date

import pytest
from web_county import import_files, uploads

from liangxin.engine.build import build
from liangxin.engine.policies import load_policy
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.models import DataVersion
from liangxin.web.dashboard.metrics import COUNTS, county_metrics
from liangxin.web.imports.models import ImportBatch, ImportFile
from liangxin.web.orgs.models import ENGINE_FIELDS, Org
from liangxin.web.sources.models import SourceRecord

pytestmark = pytest.mark.django_db
INSURANCE = "2020年参保单位更新.csv"


def snapshot() -> dict:
    """Everything an import may write, to compare before and after."""
    return {
        "orgs": sorted(Org.objects.values_list("org_id", *ENGINE_FIELDS)),
        "records": sorted(SourceRecord.objects.values_list("source_file", "source_row", "org_id")),
        "audit": AuditLog.objects.exclude(object_type="imports.importbatch")
        .exclude(action__in=[AuditLog.Action.LOGIN, AuditLog.Action.LOGOUT])
        .count(),
        "current": sorted(ImportFile.objects.filter(current=True).values_list("pk", flat=True)),
    }


def insurance_file(tmp_path, orgs, insured: int) -> tuple:
    path = tmp_path / INSURANCE
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["统一社会信用代码", "单位名称", "参保人数", "参保状态"])
        for org in orgs:
            writer.writerow([org.credit_code, org.name, insured, "正常参保"])
    return path


def orgs_with_code(n: int):
    return list(Org.objects.exclude(credit_code=None).filter(in_scope=True).order_by("org_id")[:n])


def test_reimporting_the_same_files_changes_nothing(users, county):
    before = snapshot()
    batch = import_files(users["admin"], county.folder)
    counts = batch.summary["counts"]
    for model, tally in counts.items():
        assert tally["new"] == tally["updated"] == tally["removed"] == 0, (model, tally)
    assert counts["org"]["unchanged"] == Org.objects.count()
    assert {f.status for f in batch.files.all()} == {ImportFile.Status.SAME}
    assert snapshot() == before


def test_preview_writes_nothing_until_commit_then_updates_with_sources(users, tmp_path):
    orgs = orgs_with_code(3)
    path = insurance_file(tmp_path, orgs, insured=77)
    before = snapshot()
    batch = import_files(users["admin"], path, commit=False)
    assert batch.summary["counts"]["record"]["new"] == 3
    assert batch.summary["counts"]["org"]["updated"] >= 1
    assert snapshot() == before, "a preview writes nothing"

    batch.refresh_from_db()
    from liangxin.web.imports.actions import do_commit

    do_commit(batch, users["admin"])
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    for org in orgs:
        org.refresh_from_db()
        assert org.insured == 77
        assert org.sources["insured"].startswith(INSURANCE)
        entry = AuditLog.objects.filter(object_type="orgs.org", object_id=str(org.pk)).first()
        assert entry.action == AuditLog.Action.UPDATE and entry.after["insured"] == 77
        assert entry.before["insured"] != 77
        assert entry.request_id == "" or len(entry.request_id) >= 8
    commit = AuditLog.objects.get(action=AuditLog.Action.IMPORT_COMMIT, object_id=str(batch.pk))
    # the audit log reads in words, not the preview's internal keys
    assert commit.after["单位"].startswith("新增 ") and "更新 " in commit.after["单位"]


def test_dashboard_equals_the_engine_metrics_of_the_same_files(county, tmp_path):
    folder = tmp_path / "files"
    shutil.copytree(county.folder, folder)
    shutil.copy(county.extra, folder)
    result = build(folder, tmp_path / "out", load_policy("linyi-2020"), date(2020, 7, 1))
    expected = result.metrics
    shown = county_metrics(Org.objects.all())
    keys = [k for k in COUNTS if k != "single_established"]
    assert {k: shown["total"][k] for k in keys} == {k: expected["total"]["all"][k] for k in keys}
    for town in shown["towns"]:
        engine_town = expected["towns"][town["town"]]["all"]
        assert {k: town[k] for k in keys} == {k: engine_town[k] for k in keys}, town["town"]
        assert town["org_coverage_rate"] == engine_town["org_coverage_rate"]
        assert town["work_coverage_rate"] == engine_town["work_coverage_rate"]
    assert len(shown["towns"]) == len(expected["towns"])


def test_rejected_rows_download_with_reasons(client_for):
    batch = ImportBatch.objects.order_by("pk").first()
    expected = sum(f.report["rejected"] for f in batch.files.exclude(kind=""))
    assert expected > 0, "the generated county has rows that cannot be accepted"
    response = client_for("admin").get(f"/imports/{batch.pk}/rejects.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["文件", "工作表", "行号", "退回原因"]
    assert len(rows) - 1 == expected
    assert all(row[3] for row in rows[1:])


def test_rejected_rows_and_pairs_are_table_rows_shown_a_page_at_a_time(client_for, users, tmp_path):
    """A file rejecting many rows: each is a table row, not part of one stored value, and the
    pages show them 50 at a time."""
    from liangxin.web.imports.models import RejectedRow

    path = tmp_path / "参保（缺名称）.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["统一社会信用代码", "单位名称", "参保人数", "参保状态"])
        writer.writerows(["", "", n, "正常参保"] for n in range(120))  # no code, no name
    batch = import_files(users["admin"], path, commit=False)
    file = batch.files.get()
    assert set(file.report) >= {"accepted", "rejected"}
    assert "rejects" not in file.report and "problems" not in file.report
    rows = RejectedRow.objects.filter(file=file)
    assert rows.count() == file.report["rejected"] == 120
    assert sorted(rows.values_list("row", flat=True)) == list(range(2, 122))
    client = client_for("admin")
    detail = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "退回的数据行（120）" in detail and detail.count("<tr><td>参保（缺名称）.csv</td>") == 20
    pages = [client.get(f"/imports/{batch.pk}/rejected/?page={n}").content.decode() for n in (1, 3)]
    assert pages[0].count("<tr><td>参保（缺名称）.csv</td>") == 50 and "第 1 / 3 页" in pages[0]
    assert pages[1].count("<tr><td>参保（缺名称）.csv</td>") == 20
    assert client.get(f"/imports/{batch.pk}/changes/org/?action=x").status_code == 400


def test_a_value_problem_is_a_table_row_shown_with_its_source_row(client_for):
    from liangxin.web.imports.models import ValueProblem

    problems = ValueProblem.objects.filter(file__current=True).select_related("file")
    assert problems.exists(), "the generated county has values that cannot be read"
    for problem in problems.order_by("pk")[:50]:
        record = SourceRecord.objects.filter(
            file=problem.file, source_sheet=problem.sheet, source_row=problem.row
        ).first()
        if record is not None:
            break
    page = client_for("admin").get(f"/sources/{record.pk}/").content.decode()
    assert "数据问题" in page and problem.problem in page


def test_the_ledger_lists_the_value_problems_from_their_table(users):
    from liangxin.web.imports.models import ValueProblem
    from liangxin.web.ledger.workbook import _problems

    frame = _problems(users["admin"])
    stored = ValueProblem.objects.filter(file__current=True)
    assert frame.height == stored.count() > 0
    assert set(frame["problem"]) == set(stored.values_list("problem", flat=True))


def test_rejects_download_cannot_carry_a_formula(client_for, users, tmp_path):
    path = tmp_path / "=HYPERLINK(1)参保.csv"  # a file name is text the uploader chose
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["统一社会信用代码", "单位名称", "参保人数", "参保状态"])
        writer.writerow(["", "", 12, "正常参保"])  # no code, no name: rejected
    batch = import_files(users["admin"], path, commit=False)
    response = client_for("admin").get(f"/imports/{batch.pk}/rejects.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == "'=HYPERLINK(1)参保.csv"


def test_a_broken_file_among_good_ones_blocks_the_commit(client_for, users, tmp_path):
    good = insurance_file(tmp_path, orgs_with_code(2), insured=55)
    broken = tmp_path / "损坏的文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    before = snapshot()
    batch = import_files(users["admin"], good, broken, commit=False)
    assert batch.file_errors and not batch.can_commit
    response = client_for("admin").post(f"/imports/{batch.pk}/commit/", follow=True)
    assert "不能提交" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    assert snapshot() == before


def test_a_failure_in_the_middle_of_the_commit_leaves_the_data_as_before(
    users, tmp_path, monkeypatch
):
    path = insurance_file(tmp_path, orgs_with_code(4), insured=66)
    batch = import_files(users["admin"], path, commit=False)
    before = snapshot()

    def crash(entries):  # every row is written by now; the audit entries would be last
        raise RuntimeError("进程被终止")

    monkeypatch.setattr("liangxin.web.county.apply.log_many", crash)
    from liangxin.web.imports.actions import do_commit

    do_commit(batch, users["admin"])
    batch.refresh_from_db()
    # the user reads that it failed; the exception's text stays in the log
    assert batch.status == ImportBatch.Status.READY and "任务出错" in batch.error
    assert "进程被终止" not in batch.error
    assert snapshot() == before
    assert batch.job.status == "failed"


def test_a_commit_after_other_changes_asks_for_a_new_analysis(users, tmp_path):
    batch = import_files(
        users["admin"], insurance_file(tmp_path, orgs_with_code(1), 44), commit=False
    )
    DataVersion.bump()  # e.g. a 镇街 user corrected a survey fact meanwhile
    from liangxin.web.imports.actions import do_commit

    do_commit(batch, users["admin"])
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY and batch.needs_analysis
    assert not batch.can_commit


def test_a_new_version_of_a_file_replaces_its_rows(users, county, tmp_path):
    lines = county.extra.read_text(encoding="utf-8").splitlines()
    gone_name = lines[2].split(",")[0]
    assert Org.objects.filter(name=gone_name).exists()
    shorter = tmp_path / county.extra.name
    shorter.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    batch = import_files(users["admin"], shorter)
    assert batch.files.get().status == ImportFile.Status.REPLACES
    assert batch.summary["counts"]["record"]["removed"] == 1
    assert not SourceRecord.objects.filter(source_file=county.extra.name, source_row=3).exists()
    assert not Org.objects.filter(name=gone_name).exists(), "its only row is gone"
    entry = AuditLog.objects.filter(action=AuditLog.Action.DELETE, object_repr=gone_name).get()
    assert entry.before["name"] == gone_name


def test_import_pages_show_the_preview(client_for, users, tmp_path):
    batch = import_files(
        users["admin"], insurance_file(tmp_path, orgs_with_code(2), 33), commit=False
    )
    page = client_for("admin").get(f"/imports/{batch.pk}/").content.decode()
    assert INSURANCE in page and "确认提交" in page and 'data-model="org"' in page
    changes = client_for("admin").get(f"/imports/{batch.pk}/changes/org/?action=updated")
    assert "参保人数" in changes.content.decode()


def test_upload_page_rejects_duplicate_names(client_for, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x\n", encoding="utf-8")
    files = uploads(path) + uploads(path)
    response = client_for("admin").post("/imports/new/", {"files": files})
    assert response.status_code == 400 and "文件重名" in response.content.decode()


def test_proposed_values_take_their_json_form_column_by_column():
    from datetime import datetime

    import polars as pl

    from liangxin.web.audit.actions import jsonable
    from liangxin.web.county.proposal import json_ready

    founded = date(2001, 2, 3)
    frame = pl.DataFrame({"org_id": ["A"], "founded_on": [founded], "park_ids": [["P1", "P2"]]})
    rows = json_ready(frame, ["org_id", "founded_on", "park_ids", "not_in_frame"]).to_dicts()
    assert rows == [
        {"org_id": "A", "founded_on": jsonable(founded), "park_ids": ["P1", "P2"],
         "not_in_frame": None}
    ]  # fmt: skip
    with pytest.raises(TypeError, match="seen_at"):
        json_ready(pl.DataFrame({"seen_at": [datetime(2020, 1, 1, 8)]}), ["seen_at"])


def everything_written() -> dict:
    """What an import writes, independent of primary keys: objects, source rows, units, and
    the audit entries in their order."""
    from liangxin.web.partyorgs.models import PartyOrg

    return {
        "orgs": sorted(Org.objects.values_list("org_id", *ENGINE_FIELDS)),
        "records": sorted(
            SourceRecord.objects.values_list(
                "source_file", "source_sheet", "source_row", "kind", "org__org_id", "entity_id"
            )
        ),
        "values": sorted(str(v) for v in SourceRecord.objects.values_list("values", flat=True)),
        "units": sorted(PartyOrg.objects.values_list("entity_id", "units__org_id")),
        "audit": [
            (e.action, e.object_type, e.object_repr, e.before, e.after)
            for e in AuditLog.objects.exclude(object_type="imports.importbatch").order_by("seq")
        ],
    }


def test_a_preview_and_commit_made_slice_by_slice_write_what_one_slice_writes(
    users, county, tmp_path, monkeypatch
):
    from django.db import transaction

    from liangxin.web.county import apply, diff

    header, first, *_ = county.extra.read_text(encoding="utf-8").splitlines()
    shorter = tmp_path / county.extra.name  # its first row corrected, the others gone
    shorter.write_text(f"{header}\n{first.replace(',12,', ',13,')}\n", encoding="utf-8")
    files = (shorter, insurance_file(tmp_path, orgs_with_code(40), insured=55))

    def imported() -> tuple[dict, dict]:
        batch = import_files(users["admin"], *files)
        return batch.summary["counts"], everything_written()

    with transaction.atomic():
        whole = imported()
        transaction.set_rollback(True)
    assert not SourceRecord.objects.filter(source_file=INSURANCE).exists()
    monkeypatch.setattr(diff, "SLICE", 3)
    monkeypatch.setattr(apply, "SLICE", 2)
    sliced = imported()

    counts = sliced[0]
    assert counts["org"]["updated"] >= 30 and counts["org"]["removed"] >= 1
    assert counts["record"]["new"] == 40 and counts["record"]["removed"] >= 1
    assert counts["record"]["updated"] == 1
    assert sliced == whole


def test_every_table_a_commit_writes_in_bulk_is_vacuumed_after_a_bulk_load(users, county, tmp_path):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liangxin.web.county.apply import WRITTEN
    from liangxin.web.imports.actions import do_commit

    header, first, *_ = county.extra.read_text(encoding="utf-8").splitlines()
    shorter = tmp_path / county.extra.name
    shorter.write_text(f"{header}\n{first.replace(',12,', ',13,')}\n", encoding="utf-8")
    files = (shorter, insurance_file(tmp_path, orgs_with_code(5), insured=9))
    batch = import_files(users["admin"], *files, commit=False)
    with CaptureQueriesContext(connection) as queries:
        do_commit(batch, users["admin"])
    statement = re.compile(r'^(?:INSERT INTO|UPDATE|DELETE FROM|COPY) "(\w+)"')
    written = {m.group(1) for q in queries.captured_queries if (m := statement.match(q["sql"]))}
    # one row each per commit: the batch, its files and job, the counters and the chain head
    bookkeeping = {
        "imports_importbatch",
        "imports_importfile",
        "imports_dataversion",
        "imports_countywords",
        "tasks_job",
        "audit_audithead",
        "closures_tasksnapshot",
        "matches_matchdecision",
    }
    assert {"orgs_org", "sources_sourcerecord", "audit_auditlog"} <= written
    assert written - bookkeeping <= {model._meta.db_table for model in WRITTEN}


def test_a_whole_county_run_finds_every_stored_value_that_differs(county, monkeypatch):
    """On PostgreSQL most organizations are found unchanged column by column, a slice of keys
    at a time (``county/unchanged.py``); none that differs, in any type of field, may be
    among them."""
    from datetime import timedelta

    from django.db import connection

    from liangxin.web.county import unchanged
    from liangxin.web.county.proposal import propose
    from liangxin.web.county.rescreen import screen_county

    monkeypatch.setattr(unchanged, "SLICE", 50)
    picked = (
        Org.objects.filter(in_scope=True)
        .exclude(founded_on=None)
        .exclude(revenue_wan=None)
        .exclude(sources={})
        .order_by("org_id")
    )
    orgs = list(picked[:7]) + [Org.objects.filter(credit_code=None).order_by("org_id").first()]
    edits = [
        {"name": orgs[0].name + "甲"},
        {"in_scope": False},
        {"employees": (orgs[2].employees or 0) + 1},
        {"revenue_wan": orgs[3].revenue_wan + 1e-9},  # a float that prints alike when rounded
        {"founded_on": orgs[4].founded_on + timedelta(days=1)},
        {"sources": {**orgs[5].sources, "no_such_field": "某文件第1行"}},
        {"sources": {k: f"{v}（改）" for k, v in orgs[6].sources.items()}},
        {"credit_code": ""},  # stored empty, proposed none
    ]
    for org, fields in zip(orgs, edits, strict=True):
        Org.objects.filter(pk=org.pk).update(**fields)
    screening = screen_county()
    changes = screening.changes
    changed = {
        c.key: {name for name, _, _ in c.changed_fields()} for c in changes if c.model == "org"
    }
    assert changed == {org.org_id: set(fields) for org, fields in zip(orgs, edits, strict=True)}
    if connection.vendor == "postgresql":  # the others were found unchanged without a row
        found = unchanged.unchanged_orgs(propose(screening.outcome).frames["org"])
        assert len(found) == Org.objects.count() - len(orgs)
