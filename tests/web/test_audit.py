"""The audit log: append-only; logins, logouts, exports and changes with request ids."""

from __future__ import annotations

import pytest

from liangxin.web.audit.models import AppendOnlyError, AuditLog
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db


def test_entries_cannot_be_changed_or_deleted():
    entry = AuditLog.objects.order_by("pk").first()
    entry.note = "篡改"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=entry.pk).update(note="篡改")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=entry.pk).delete()


def test_login_logout_and_failed_login_are_logged_with_the_request_id(client, users):
    response = client.post("/login/", {"username": "town_a", "password": "pw-town_a"})
    assert response.status_code == 302
    login = AuditLog.objects.filter(action=AuditLog.Action.LOGIN).first()
    assert login.user == users["town_a"] and login.request_id == response["X-Request-ID"]
    client.post("/logout/")
    assert AuditLog.objects.filter(action=AuditLog.Action.LOGOUT, user=users["town_a"]).exists()
    client.post("/login/", {"username": "town_a", "password": "wrong"})
    failed = AuditLog.objects.filter(action=AuditLog.Action.LOGIN_FAILED).first()
    assert failed.user is None and "town_a" in failed.note


def test_pages_require_login(client):
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_exports_are_logged(client_for, county):
    client_for("town_a").get("/orgs/export.xlsx?in_scope=1")
    entry = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).first()
    count = Org.objects.filter(town=county.town_a, in_scope=True).count()
    assert entry.note.startswith(f"导出{count}个单位") and "in_scope=1" in entry.note


def test_the_import_created_one_entry_per_organization(users):
    created = AuditLog.objects.filter(object_type="orgs.org", action=AuditLog.Action.CREATE)
    assert created.count() == Org.objects.count()
    entry = created.filter(object_id=str(Org.objects.first().pk)).get()
    assert entry.after["org_id"] == Org.objects.first().org_id and entry.user == users["admin"]


def test_audit_page_filters_by_action(client_for):
    page = client_for("admin").get("/audit/?action=import_commit").content.decode()
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr") == body.count(">导入提交</td>") > 0
