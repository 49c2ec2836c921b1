"""个人信息保护 (docs/security.md §9): phone numbers and names masked by default; revealing needs its own
permission and a reason and is audited; no personal data in the logs; no formula injection
through any spreadsheet export."""

from __future__ import annotations

import io
import logging

import openpyxl
import polars as pl
import pytest

from liangxin.engine.outputs.ledger import write_ledger
from liangxin.engine.outputs.workbook import Column, Sheet, spreadsheet_text
from liangxin.web.accounts.actions import do_save_user
from liangxin.web.audit.models import AuditLog
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(users):
    return Org.objects.restrict(users["town_a"]).exclude(phone=None).order_by("pk").first()


def grant(user):
    return do_save_user(None, user.username, None, can_reveal_personal=True)


def reveals(user=None):
    return AuditLog.objects.filter(
        action=AuditLog.Action.REVEAL, **({"user": user} if user else {})
    )


def test_revealing_needs_the_permission(client_for, users, org):
    client = client_for("town_a")  # an editor of this organization, without the permission
    page = client.get(f"/orgs/{org.pk}/").content.decode()
    assert org.phone not in page and "显示完整个人信息" not in page
    response = client.post(f"/orgs/{org.pk}/reveal/", {"reason": "核实联系电话"})
    assert response.status_code == 403 and org.phone not in response.content.decode()
    assert not reveals().exists()


def test_revealing_needs_a_reason_and_is_audited(client_for, users, org):
    grant(users["town_a"])
    client = client_for("town_a")
    assert "显示完整个人信息" in client.get(f"/orgs/{org.pk}/").content.decode()
    assert org.phone not in client.get(f"/orgs/{org.pk}/?reveal=1").content.decode()
    missing = client.post(f"/orgs/{org.pk}/reveal/", {"reason": " "}, follow=True)
    assert "请填写查看完整个人信息的原因" in missing.content.decode()
    assert org.phone not in missing.content.decode() and not reveals().exists()

    page = client.post(f"/orgs/{org.pk}/reveal/", {"reason": "电话核实党组织书记"})
    assert org.phone in page.content.decode()
    entry = reveals(users["town_a"]).get()
    assert entry.object_id == str(org.pk) and entry.note.endswith("原因：电话核实党组织书记")
    assert org.phone not in entry.note
    assert org.phone not in client.get(f"/orgs/{org.pk}/").content.decode()  # one reveal only


def test_revealing_stays_within_scope(client_for, users):
    other = Org.objects.restrict(users["town_b"]).exclude(phone=None).first()
    grant(users["town_a"])
    response = client_for("town_a").post(f"/orgs/{other.pk}/reveal/", {"reason": "越权尝试查看"})
    assert response.status_code == 404 and not reveals().exists()


def test_lists_and_exports_are_masked(client_for, org):
    client = client_for("admin")
    assert org.phone not in client.get(f"/orgs/?q={org.name}").content.decode()
    book = openpyxl.load_workbook(io.BytesIO(client.get("/orgs/export.xlsx").getvalue()))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value]
    assert org.phone not in cells
    assert any(c.startswith(org.phone[:3]) and c.endswith(org.phone[-4:]) for c in cells)


def test_no_personal_data_in_the_logs(client, client_for, users, org, caplog):
    caplog.set_level(logging.DEBUG)
    grant(users["town_a"])
    town = client_for("town_a")
    town.get(f"/orgs/{org.pk}/")
    town.post(f"/orgs/{org.pk}/reveal/", {"reason": "核实联系电话"})
    town.get("/orgs/export.xlsx")
    client.post("/login/", {"username": org.phone, "password": "wrong"})
    assert org.phone not in caplog.text and org.contact not in caplog.text


# --- formula injection ---------------------------------------------------------------------------

DANGEROUS = ["=1+1", '=HYPERLINK("http://example.com","点击")', "+86 138", "-2+3", "@SUM(A1)"]


def test_text_that_looks_like_a_formula_gets_an_apostrophe():
    assert [spreadsheet_text(t) for t in DANGEROUS] == ["'" + t for t in DANGEROUS]
    assert spreadsheet_text("普通文本=1") == "普通文本=1"


def test_the_engine_workbook_writes_no_formulas(tmp_path):
    frame = pl.DataFrame({"text": [*DANGEROUS, "普通"], "number": [-5, 1, 2, 3, 4, 5]})
    path = tmp_path / "book.xlsx"
    write_ledger(
        path, [Sheet("表", [Column("文本", "text", 20), Column("数", "number", 8)], frame)]
    )
    sheet = openpyxl.load_workbook(path).active
    rows = [row for row in sheet.iter_rows() if row[0].value not in (None, "文本")]
    assert [r[0].value for r in rows] == [*("'" + t for t in DANGEROUS), "普通"]
    assert all(r[0].data_type == "s" for r in rows)
    assert rows[0][1].value == -5 and rows[0][1].data_type == "n"  # numbers stay numbers


def test_the_web_export_escapes_formulas(client_for, org):
    Org.objects.filter(pk=org.pk).update(name='=HYPERLINK("http://example.com","点击")')
    content = client_for("admin").get("/orgs/export.xlsx").getvalue()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.data_type == "f" or c.value.startswith("=")]
    assert '\'=HYPERLINK("http://example.com","点击")' in [c.value for c in cells]
