"""The optional second factor (docs/security.md §1): TOTP as RFC 6238 defines it; when on, administrator
roles must bind one; a user with one logs in with password and code; a code works once; wrong
codes count towards the lockout; the secret is stored sealed and never audited."""

from __future__ import annotations

import base64
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from liangxin.web.accounts.actions import do_save_user
from liangxin.web.accounts.models import User
from liangxin.web.accounts.totp import code_at, counter_at, matching_counter, new_secret
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.scope import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Shuang-Yinzi9"


def test_codes_follow_rfc_6238():
    secret = base64.b32encode(b"12345678901234567890").decode()  # the RFC's SHA-1 test key
    assert code_at(secret, 59 // 30, digits=8) == "94287082"
    assert code_at(secret, 1111111109 // 30, digits=8) == "07081804"
    assert code_at(secret, 20000000000 // 30, digits=8) == "65353130"


def test_a_code_matches_only_near_now_and_only_once():
    secret = new_secret()
    now = 1_700_000_000
    counter = counter_at(now)
    assert matching_counter(secret, code_at(secret, counter), now=now) == counter
    assert matching_counter(secret, code_at(secret, counter - 1), now=now) == counter - 1
    assert matching_counter(secret, code_at(secret, counter - 3), now=now) is None
    assert matching_counter(secret, code_at(secret, counter), after=counter, now=now) is None


@pytest.fixture
def bound(db):
    user = do_save_user(None, "shuangyin", PASSWORD, role=Role.COUNTY_ADMIN)
    user.totp_secret = new_secret()
    user.save(update_fields=["totp_secret"])
    return user


def current_code(user) -> str:
    return code_at(user.totp_secret, counter_at())


def test_login_with_password_and_code(client, bound):
    response = client.post("/login/", {"username": "shuangyin", "password": PASSWORD})
    assert response["Location"] == "/login/code/"
    assert client.get("/orgs/")["Location"].startswith("/login/")  # not logged in yet
    assert "动态口令不正确" in client.post("/login/code/", {"code": "000000"}).content.decode()
    failed = AuditLog.objects.filter(action=AuditLog.Action.LOGIN_FAILED, note__contains="动态口令")
    assert failed.count() == 1
    code = current_code(bound)
    assert client.post("/login/code/", {"code": code}).status_code == 302
    assert client.get("/orgs/").status_code == 200
    assert AuditLog.objects.filter(action=AuditLog.Action.LOGIN, user=bound).exists()

    client.post("/logout/")  # the same code cannot be used again
    client.post("/login/", {"username": "shuangyin", "password": PASSWORD})
    assert "已使用过" in client.post("/login/code/", {"code": code}).content.decode()
    assert client.get("/orgs/")["Location"].startswith("/login/")


def test_wrong_codes_lock_the_account(client, bound):
    client.post("/login/", {"username": "shuangyin", "password": PASSWORD}, REMOTE_ADDR="10.0.2.1")
    for _ in range(4):
        client.post("/login/code/", {"code": "000000"}, REMOTE_ADDR="10.0.2.1")
    # the right password again (from elsewhere) does not clear the count of wrong codes
    client.post("/login/", {"username": "shuangyin", "password": PASSWORD}, REMOTE_ADDR="10.0.2.2")
    assert "已锁定" in client.post("/login/code/", {"code": "000000"}).content.decode()
    assert "已锁定" in client.post("/login/code/", {"code": current_code(bound)}).content.decode()
    assert client.get("/orgs/")["Location"].startswith("/login/")


@override_settings(LIANGXIN_TOTP=True)
def test_administrators_must_bind_a_second_factor_when_it_is_on(client, users):
    client.force_login(users["leader"])
    assert client.get("/orgs/").status_code == 200  # not an administrator role
    client.force_login(users["admin"])
    assert client.get("/orgs/")["Location"] == "/account/totp/"
    page = client.get("/account/totp/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert "otpauth://totp/" in page
    assert "不正确" in client.post("/account/totp/", {"code": "000000"}).content.decode()
    assert client.post("/account/totp/", {"code": code_at(secret, counter_at())}).status_code == 302
    assert client.get("/orgs/").status_code == 200
    assert User.objects.get(username="admin").totp_secret == secret
    assert AuditLog.objects.filter(user=users["admin"], note__contains="启用动态口令").exists()


def test_the_security_administrator_can_reset_a_second_factor(client, bound):
    security = do_save_user(None, "anquan2", PASSWORD, role=Role.SECURITY_ADMIN)
    client.force_login(security)
    assert "重置动态口令" in client.get(f"/account/users/{bound.pk}/").content.decode()
    client.post(f"/account/users/{bound.pk}/totp-reset/")
    bound.refresh_from_db()
    assert bound.totp_secret == ""
    assert AuditLog.objects.filter(user=security, note__contains="重置动态口令").exists()


def _stored_secret(user) -> str:
    with connection.cursor() as cursor:
        table = User._meta.db_table
        cursor.execute(f"SELECT totp_secret FROM {table} WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_the_secret_is_stored_sealed_and_never_audited(client, bound):
    secret = User.objects.get(pk=bound.pk).totp_secret
    stored = _stored_secret(bound)
    assert stored.startswith("sealed1:") and secret not in stored
    assert User.objects.get(pk=bound.pk).totp_secret == secret
    client.post("/login/", {"username": "shuangyin", "password": PASSWORD})
    client.post("/login/code/", {"code": current_code(bound)})
    for entry in AuditLog.objects.all():
        assert secret not in f"{entry.before}{entry.after}{entry.note}"


def test_a_secret_stored_before_sealing_reads_and_is_sealed_on_save(bound):
    plain = new_secret()
    User.objects.filter(pk=bound.pk).update(totp_secret="")  # then write it raw, as before
    with connection.cursor() as cursor:
        table = User._meta.db_table
        cursor.execute(f"UPDATE {table} SET totp_secret = %s WHERE id = %s", [plain, bound.pk])
    user = User.objects.get(pk=bound.pk)
    assert user.totp_secret == plain
    user.save(update_fields=["totp_secret"])
    assert _stored_secret(user).startswith("sealed1:")
    assert User.objects.get(pk=bound.pk).totp_secret == plain


def test_another_secret_key_cannot_unseal(bound):
    with (
        override_settings(SECRET_KEY="another-key-" * 5),
        pytest.raises(ImproperlyConfigured, match="无法解密"),
    ):
        User.objects.get(pk=bound.pk)
