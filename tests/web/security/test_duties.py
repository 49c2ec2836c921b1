"""Separation of duties (docs/security.md §2): 安全管理员 manages users and roles in the browser and sees
no organization data; 审计员 reads the whole audit log and nothing else; no role can erase the
audit log."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from liangxin.web.accounts.actions import do_save_user
from liangxin.web.accounts.models import LoginThrottle, User
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.scope import Role
from liangxin.web.orgs.models import Org
from liangxin.web.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def security(db):
    return do_save_user(None, "anquan", "Anquan-Admin9", "安全管理员", role=Role.SECURITY_ADMIN)


@pytest.fixture
def auditor(db):
    return do_save_user(None, "shenji", "Shenji-Audit9", "审计员", role=Role.AUDITOR)


def new_user(client, **data):
    fields = {"username": "xinren", "first_name": "新人", "role": "leader", "is_active": "on"}
    return client.post("/account/users/new/", {**fields, **data})


def test_only_the_security_administrator_manages_users(client, users, security, auditor):
    for user in [users["admin"], users["leader"], users["town_a"], auditor]:
        client.force_login(user)
        assert client.get("/account/users/").status_code == 403
        assert new_user(client, password="Xinren-Pass9").status_code == 403
    assert not User.objects.filter(username="xinren").exists()
    client.force_login(security)
    page = client.get("/account/users/").content.decode()
    assert "town_a" in page and "审计员" in page


def test_creating_a_user_validates_the_password_and_forces_its_change(client, security):
    client.force_login(security)
    page = new_user(client, password="xinren12").content.decode()
    assert "密码不能包含用户名" in page and "至少 3 类" in page
    assert new_user(client, password="Chuqi#Mima7").status_code == 302
    user = User.objects.get(username="xinren")
    assert user.role == Role.LEADER and user.must_change_password
    entry = AuditLog.objects.get(
        action=AuditLog.Action.CREATE, object_id=str(user.pk), object_type="accounts.user"
    )
    assert entry.user == security and entry.after["role"] == "leader"
    assert "Chuqi#Mima7" not in str(entry.after) + entry.note


def test_role_and_scope_are_checked_saved_and_audited(client, users, security):
    client.force_login(security)
    target = users["leader"]
    data = {"first_name": "领导", "role": "town", "is_active": "on"}
    page = client.post(f"/account/users/{target.pk}/", data).content.decode()
    assert "镇街用户须选择所辖区域" in page
    town = Region.objects.filter(level=Region.Level.TOWN).order_by("name").first()
    assert (
        client.post(f"/account/users/{target.pk}/", {**data, "region": town.pk}).status_code == 302
    )
    target.refresh_from_db()
    assert target.role == Role.TOWN and target.region == town
    entry = AuditLog.objects.filter(
        action=AuditLog.Action.UPDATE, object_id=str(target.pk), object_type="accounts.user"
    ).first()
    assert entry.before["role"] == "leader" and entry.after["role"] == "town"
    assert entry.after["region_id"] == town.pk and entry.user == security


def test_the_security_administrator_cannot_change_their_own_role(client, security):
    client.force_login(security)
    data = {"first_name": "安全管理员", "role": "county_admin", "is_active": "on"}
    page = client.post(f"/account/users/{security.pk}/", data).content.decode()
    assert "不能修改自己的角色" in page
    security.refresh_from_db()
    assert security.role == Role.SECURITY_ADMIN


def test_the_unlock_button_lets_the_right_password_in_at_once(client, security):
    """Five wrong passwords from the office address; the security administrator, at the same
    address, still logs in, presses 解锁, and the user's right password works right after."""
    do_save_user(None, "jiesuo", "Jiesuo-Town9", "解锁", role=Role.LEADER)
    office = {"REMOTE_ADDR": "10.9.9.9"}
    for _ in range(5):
        client.post("/login/", {"username": "jiesuo", "password": "wrong"}, **office)
    refused = client.post("/login/", {"username": "jiesuo", "password": "Jiesuo-Town9"}, **office)
    assert "已锁定" in refused.content.decode()
    admin = client.post("/login/", {"username": "anquan", "password": "Anquan-Admin9"}, **office)
    assert admin.status_code == 302
    target = User.objects.get(username="jiesuo")
    page = client.get("/account/users/").content.decode()
    assert f"/account/users/{target.pk}/unlock/" in page
    done = client.post(f"/account/users/{target.pk}/unlock/", follow=True)
    assert "已解除 jiesuo 的登录锁定" in done.content.decode()
    client.post("/logout/")
    again = client.post("/login/", {"username": "jiesuo", "password": "Jiesuo-Town9"}, **office)
    assert again.status_code == 302


@override_settings(LIANGXIN_LOCKOUT_ADDRESS_FAILURES=6)
def test_a_locked_address_is_listed_and_unlocked_from_the_page(client, security):
    do_save_user(None, "bangong", "Bangong-Town9", "办公室", role=Role.LEADER)
    office = {"REMOTE_ADDR": "10.8.8.8"}
    for n in range(6):
        client.post("/login/", {"username": f"guess{n}", "password": "wrong"}, **office)
    refused = client.post("/login/", {"username": "bangong", "password": "Bangong-Town9"}, **office)
    assert "已锁定" in refused.content.decode()
    client.force_login(security)
    page = client.get("/account/users/").content.decode()
    assert "被锁定的来源地址" in page and "10.8.8.8" in page
    done = client.post("/account/users/unlock-address/", {"address": "10.8.8.8"}, follow=True)
    assert "已解除来源地址 10.8.8.8 的登录锁定" in done.content.decode()
    entry = AuditLog.objects.filter(action=AuditLog.Action.UNLOCK).latest("id")
    assert entry.user == security and entry.note == "解除地址 10.8.8.8 的登录锁定"
    client.post("/logout/")
    again = client.post("/login/", {"username": "bangong", "password": "Bangong-Town9"}, **office)
    assert again.status_code == 302
    client.force_login(security)
    assert client.post("/account/users/unlock-address/", {"address": "1.2.3.4"}).status_code == 404


def test_unlock_and_password_reset_from_the_page(client, users, security):
    target = users["town_b"]
    LoginThrottle.objects.create(
        kind="account",
        key=target.username,
        locked_until=timezone.now() + datetime.timedelta(minutes=10),
    )
    client.force_login(security)
    assert "锁定至" in client.get("/account/users/").content.decode()
    client.post(f"/account/users/{target.pk}/unlock/")
    assert not LoginThrottle.objects.filter(
        key=target.username, locked_until__isnull=False
    ).exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.UNLOCK, user=security).exists()

    weak = client.post(f"/account/users/{target.pk}/password/", {"password": "short"})
    assert "密码太短" in weak.content.decode()
    client.post(f"/account/users/{target.pk}/password/", {"password": "Chongzhi#88"})
    target.refresh_from_db()
    assert target.check_password("Chongzhi#88") and target.must_change_password
    entry = AuditLog.objects.filter(
        object_type="accounts.user", object_id=str(target.pk), note__contains="重置密码"
    ).get()
    assert entry.user == security and "Chongzhi#88" not in str(entry.after)


def test_security_administrator_and_auditor_see_no_organization_data(client, security, auditor):
    org = Org.objects.first()
    for user in [security, auditor]:
        assert not Org.objects.restrict(user).exists()
        client.force_login(user)
        assert client.get(f"/orgs/{org.pk}/").status_code == 404


def test_the_auditor_reads_the_whole_audit_log(client, users, auditor):
    assert AuditLog.objects.restrict(auditor).count() == AuditLog.objects.count()
    assert AuditLog.objects.restrict(users["town_a"]).count() < AuditLog.objects.count()
    client.force_login(auditor)
    page = client.get("/audit/?action=import_commit").content.decode()
    assert "导入提交" in page and "admin" in page


def test_no_role_can_erase_the_audit_log(client, users, security, auditor):
    count = AuditLog.objects.count()
    for user in [*users.values(), security, auditor]:
        client.force_login(user)
        assert client.post("/audit/").status_code == 405
        assert client.delete("/audit/").status_code == 405
    assert AuditLog.objects.count() >= count  # only appended (logins)


def test_a_misspelt_scope_field_is_refused_not_saved_as_an_empty_scope(db):
    with pytest.raises(TypeError, match="dept_industrys"):
        do_save_user(
            None, "bumen", "Bumen-Dept9", "部门", role=Role.DEPARTMENT, dept_industrys=["C"]
        )
    assert not User.objects.filter(username="bumen").exists()
