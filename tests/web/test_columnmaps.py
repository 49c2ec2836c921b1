"""核对列: a file the system is unsure about is confirmed once, column by column; the next
month's file of the same template is read without a question."""

from __future__ import annotations

import csv

import pytest
from web_county import import_files

from liangxin.web.audit.models import AuditLog
from liangxin.web.columnmaps.models import ColumnMap
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db
HEADERS = ["统一社会信用代码", "单位名称", "职工总数", "参保状态", "分组"]


def template_file(tmp_path, month: int, orgs, insured: int):
    path = tmp_path / f"参保补充2020年{month}月.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for org in orgs:
            writer.writerow([org.credit_code, org.name, insured, "正常参保", "甲组"])
    return path


def test_a_confirmed_template_asks_nothing_the_next_month(client_for, users, tmp_path):
    orgs = list(Org.objects.exclude(credit_code=None).filter(in_scope=True).order_by("org_id")[:3])
    may = import_files(users["admin"], template_file(tmp_path, 5, orgs, 41), commit=False)
    file = may.files.get()
    assert file.report["questions"] > 0
    client = client_for("admin")
    detail = client.get(f"/imports/{may.pk}/").content.decode()
    assert f"/columns/file/{file.pk}/" in detail and "核对列" in detail

    page = client.get(f"/columns/file/{file.pk}/").content.decode()
    for header in HEADERS:
        assert header in page
    assert orgs[0].name in page  # sample values beside each header
    form = {"kind": "insurance", "save": "1"}
    labels = [c["label"] for c in {c["label"]: c for c in file.report["columns"]}.values()]
    meaning = {
        "统一社会信用代码": "credit_code",
        "单位名称": "name",
        "职工总数": "insured",
        "参保状态": "insurance_status",
        "分组": "",
    }
    form |= {f"col-{i}": meaning[label] for i, label in enumerate(labels)}
    response = client.post(f"/columns/file/{file.pk}/", form)
    assert response.status_code == 302
    saved = ColumnMap.objects.get()
    assert saved.pattern == "参保补充*年*月.csv" and saved.headers == meaning
    audit = AuditLog.objects.filter(object_type="columnmaps.columnmap").get()
    assert audit.action == AuditLog.Action.CREATE and audit.after["headers"] == meaning

    june = import_files(users["admin"], template_file(tmp_path, 6, orgs, 44), commit=False)
    again = june.files.get()
    assert again.kind == "insurance" and again.report["questions"] == 0
    assert "核对列" not in client.get(f"/imports/{june.pk}/").content.decode()

    listing = client.get("/columns/").content.decode()
    assert "参保补充*年*月.csv" in listing
    client.post(f"/columns/{saved.pk}/delete/")
    assert not ColumnMap.objects.exists()
    assert AuditLog.objects.filter(
        object_type="columnmaps.columnmap", action=AuditLog.Action.DELETE
    ).exists()


def test_a_mapping_needs_an_identity_column_and_one_column_per_meaning(client_for, users, tmp_path):
    orgs = list(Org.objects.exclude(credit_code=None).order_by("org_id")[:2])
    batch = import_files(users["admin"], template_file(tmp_path, 7, orgs, 9), commit=False)
    file = batch.files.get()
    client = client_for("admin")
    twice = {"kind": "insurance", "save": "1", "col-0": "name", "col-1": "name"}
    page = client.post(f"/columns/file/{file.pk}/", twice, follow=True).content.decode()
    assert "每个含义只能对应一列" in page
    nothing = {"kind": "insurance", "save": "1", "col-2": "insured"}
    page = client.post(f"/columns/file/{file.pk}/", nothing, follow=True).content.decode()
    assert "至少要有一列" in page
    assert not ColumnMap.objects.exists()


@pytest.mark.parametrize("username", ["town_a", "leader", "dept"])
def test_only_the_county_admin_confirms_columns(client_for, username):
    client = client_for(username)
    assert client.get("/columns/").status_code == 404
    assert client.post("/columns/file/1/", {"kind": "insurance", "save": "1"}).status_code == 404
