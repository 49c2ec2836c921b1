"""身份鉴别 (docs/security.md §1): password rules, forced and periodic change, lockout per account and
per address, idle session timeout, and the audit entries of each."""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from liangxin.web.accounts.actions import do_save_user, do_unlock
from liangxin.web.accounts.middleware import LAST_SEEN
from liangxin.web.accounts.models import LoginThrottle, User
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.scope import Role
from liangxin.web.ops.management.commands.demo import _password

pytestmark = pytest.mark.django_db

GOOD = "Lx-Secure-2026"


def make(username: str, password: str = GOOD, **fields) -> User:
    return do_save_user(None, username, password, username, role=Role.LEADER, **fields)


def errors(password: str, username: str = "zhangsan") -> list[str]:
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        return exc.messages
    return []


# --- password rules -------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["Hgtrwqk7", "hgtrwq7!", "HGTRWQ7!", "Hgtrwqk!", GOOD])
def test_passwords_with_three_classes_and_eight_characters_pass(password):
    assert errors(password) == []


def test_short_simple_and_username_passwords_fail_with_chinese_messages():
    assert errors("Ab1!xyz") == ["密码太短：至少需要 8 个字符"]
    assert errors("hgtrwqkzpx") == ["密码须包含大写字母、小写字母、数字、符号中的至少 3 类"]
    assert errors("hgtrwqkz73") == ["密码须包含大写字母、小写字母、数字、符号中的至少 3 类"]
    assert errors("ZhangSan-2026", username="zhangsan") == ["密码不能包含用户名"]


def test_demo_passwords_meet_the_rules():
    for _ in range(200):
        password = _password()
        assert errors(password, username="admin") == [], password


def test_adduser_rejects_a_weak_password_and_forces_a_change_of_the_initial_one(county):
    with pytest.raises(CommandError, match="至少 3 类"):
        call_command("adduser", "wangwu", password="wangwu123", role="leader")
    assert not User.objects.filter(username="wangwu").exists()
    call_command("adduser", "wangwu", password="Initial-2026", role="leader")
    assert User.objects.get(username="wangwu").must_change_password


# --- forced and periodic change ----------------------------------------------------------------


def test_an_initial_password_must_be_changed_before_anything_else(client):
    make("lisi", "Initial-2026", must_change_password=True)
    assert (
        client.post("/login/", {"username": "lisi", "password": "Initial-2026"}).status_code == 302
    )
    response = client.get("/orgs/")
    assert response.status_code == 302
    assert response["Location"] == "/account/password/?next=%2Forgs%2F"
    page = client.get(response["Location"]).content.decode()
    assert "初始密码" in page

    weak = client.post(
        "/account/password/",
        {"old_password": "Initial-2026", "new_password1": "lisi2026", "new_password2": "lisi2026"},
    ).content.decode()
    assert "密码不能包含用户名" in weak and "至少 3 类" in weak
    same = client.post(
        "/account/password/",
        {
            "old_password": "Initial-2026",
            "new_password1": "Initial-2026",
            "new_password2": "Initial-2026",
        },
    ).content.decode()
    assert "新密码不能与原密码相同" in same
    assert client.get("/orgs/").status_code == 302  # still forced

    done = client.post(
        "/account/password/",
        {
            "old_password": "Initial-2026",
            "new_password1": "Chosen#Pass9",
            "new_password2": "Chosen#Pass9",
            "next": "/orgs/",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/orgs/"
    assert client.get("/orgs/").status_code == 200  # the session survives the change
    user = User.objects.get(username="lisi")
    assert not user.must_change_password and user.check_password("Chosen#Pass9")
    entry = AuditLog.objects.filter(action=AuditLog.Action.PASSWORD_CHANGE).first()
    assert entry.user == user and entry.object_id == str(user.pk)
    assert "Chosen#Pass9" not in str(entry.before) + str(entry.after) + entry.note


def test_a_password_older_than_the_maximum_age_must_be_changed(client):
    user = make("zhaoliu")
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=89)
    )
    assert client.get("/orgs/").status_code == 200
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )
    assert client.get("/orgs/")["Location"].startswith("/account/password/")
    with override_settings(LIANGXIN_PASSWORD_MAX_AGE_DAYS=120):
        assert client.get("/orgs/").status_code == 200
    with override_settings(LIANGXIN_PASSWORD_MAX_AGE_DAYS=0):  # 0: no periodic change
        assert client.get("/orgs/").status_code == 200


# --- lockout -------------------------------------------------------------------------------------


def login(client, username, password, address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_for_fifteen_minutes(client):
    make("sunqi")
    for _ in range(4):
        assert "用户名或密码不正确" in login(client, "sunqi", "wrong").content.decode()
    assert "已锁定" in login(client, "sunqi", "wrong").content.decode()
    # locked: even the right password, from another address, is refused
    refused = login(client, "sunqi", GOOD, address="10.0.0.2")
    assert refused.status_code == 200 and "已锁定" in refused.content.decode()
    lock = AuditLog.objects.filter(action=AuditLog.Action.LOCKOUT, object_repr="账户 sunqi")
    assert lock.count() == 1 and "连续5次登录失败" in lock.get().note
    assert AuditLog.objects.filter(action=AuditLog.Action.LOGIN_FAILED).count() == 6

    throttle = LoginThrottle.objects.get(kind="account", key="sunqi")
    assert throttle.locked_until - timezone.now() > datetime.timedelta(minutes=14)
    assert throttle.locked_until - timezone.now() <= datetime.timedelta(minutes=15)
    LoginThrottle.objects.filter(pk=throttle.pk).update(
        locked_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert login(client, "sunqi", GOOD, address="10.0.0.2").status_code == 302


def test_an_accounts_failures_lock_that_account_only_not_its_address(client):
    """Users behind one NAT or proxy share an address: one user's five typos lock that account,
    and the colleague at the same address still logs in."""
    make("zhouba")
    make("tongshi")
    for _ in range(5):
        login(client, "zhouba", "wrong", address="10.0.0.3")
    assert "已锁定" in login(client, "zhouba", GOOD, address="10.0.0.3").content.decode()
    assert login(client, "tongshi", GOOD, address="10.0.0.3").status_code == 302
    assert not LoginThrottle.objects.filter(kind="address", locked_until__isnull=False).exists()


@override_settings(LIANGXIN_LOCKOUT_ADDRESS_FAILURES=12)
def test_many_failures_from_one_address_lock_the_address(client):
    """Guessing many accounts from one address is stopped by the higher per-address limit."""
    make("zhouba")
    for i in range(11):
        login(client, f"guess{i}", "wrong", address="10.0.0.3")
    assert login(client, "zhouba", GOOD, address="10.0.0.3").status_code == 302
    client.post("/logout/")
    login(client, "guess11", "wrong", address="10.0.0.3")
    assert "已锁定" in login(client, "zhouba", GOOD, address="10.0.0.3").content.decode()
    assert login(client, "zhouba", GOOD, address="10.0.0.4").status_code == 302
    lock = AuditLog.objects.get(action=AuditLog.Action.LOCKOUT)
    assert lock.object_repr == "地址 10.0.0.3" and "连续12次登录失败" in lock.note


def test_the_address_limit_is_a_setting_defaulting_to_fifty():
    from django.conf import settings

    assert settings.LIANGXIN_LOCKOUT_ADDRESS_FAILURES == 50
    assert settings.LIANGXIN_LOCKOUT_FAILURES == 5


def test_failures_outside_the_window_and_before_a_success_do_not_count(client):
    make("wujiu")
    for _ in range(4):
        login(client, "wujiu", "wrong", address="10.0.0.5")
    LoginThrottle.objects.filter(key="wujiu").update(
        first_failure=timezone.now() - datetime.timedelta(minutes=16)
    )
    login(client, "wujiu", "wrong", address="10.0.0.6")
    assert login(client, "wujiu", GOOD, address="10.0.0.6").status_code == 302  # count restarted
    client.post("/logout/")
    for _ in range(4):
        login(client, "wujiu", "wrong", address="10.0.0.7")
    assert login(client, "wujiu", GOOD, address="10.0.0.8").status_code == 302  # success reset


def test_an_unlock_lifts_the_lock_and_is_audited(client, users):
    make("zhengshi")
    for _ in range(5):
        login(client, "zhengshi", "wrong", address="10.0.0.9")
    assert "已锁定" in login(client, "zhengshi", GOOD, address="10.0.1.1").content.decode()
    security = do_save_user(None, "anquan", GOOD, role=Role.SECURITY_ADMIN)  # the unlocker
    do_unlock(security, "zhengshi")
    # right after the unlock, from the very address the failures came from
    assert login(client, "zhengshi", GOOD, address="10.0.0.9").status_code == 302
    entry = AuditLog.objects.get(action=AuditLog.Action.UNLOCK)
    assert entry.user == security and "zhengshi" in entry.note


# --- idle session timeout ------------------------------------------------------------------------


def test_an_idle_session_is_logged_out_and_the_logout_audited(client):
    user = make("qianshi")
    client.force_login(user)
    assert client.get("/orgs/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/orgs/").status_code == 200  # 29 minutes: still logged in
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/orgs/")["Location"].startswith("/login/")  # the session is gone
    entry = AuditLog.objects.filter(action=AuditLog.Action.LOGOUT, user=user).get()
    assert "闲置超过30分钟自动退出" in entry.note


def test_the_idle_timeout_is_configurable(client):
    client.force_login(make("fengshi"))
    client.get("/orgs/")
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    with override_settings(LIANGXIN_SESSION_IDLE_MINUTES=60):
        assert client.get("/orgs/").status_code == 200
