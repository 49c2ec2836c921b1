"""Creating and changing users, passwords and lockouts; every change is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from liangxin.web.accounts.models import LoginThrottle, User
from liangxin.web.audit.actions import Action, log
from liangxin.web.core.permissions import MANAGE_USERS, require

FIELDS = (
    "role",
    "region_id",
    "instructor_id",
    "dept_industries",
    "dept_supervisors",
    "dept_subtypes",
    "is_active",
    "can_reveal_personal",
)


def do_save_user(
    actor,
    username: str,
    password: str | None,
    display_name: str = "",
    must_change_password: bool = False,
    **fields,
) -> User:
    """Create the user, or update role, scope and (if given) password of an existing one.

    An administrator who sets someone's initial password passes ``must_change_password``: the
    user must then choose their own at the next login. The password is not validated here; the
    forms and commands that take one from a person do that (``validate_password``). ``actor``
    None is the command line (``adduser``)."""
    require(actor, MANAGE_USERS)
    unknown = set(fields) - {*FIELDS, *(f.removesuffix("_id") for f in FIELDS)}
    if unknown:  # a misspelt scope field would leave the user with an empty scope, silently
        raise TypeError(f"do_save_user: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        before = {f: getattr(user, f) for f in FIELDS} if user else None
        if user is None:
            user = User(username=username)
        user.first_name = display_name or user.first_name
        for name, value in fields.items():
            setattr(user, name, value)
        if password is not None:
            user.set_password(password)
            user.password_changed_at = timezone.now()
            user.must_change_password = must_change_password
        user.save()
        after = {f: getattr(user, f) for f in FIELDS}
        note = "设置初始密码（首次登录须修改）" if password and must_change_password else ""
        log(
            Action.UPDATE if before else Action.CREATE,
            actor,
            user,
            before=before,
            after=after,
            note=note,
        )
    return user


def do_change_password(user: User, password: str) -> User:
    """The user's own new password (already validated by the form)."""
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        log(Action.PASSWORD_CHANGE, user, user, note="本人修改密码")
    return user


def do_unlock(actor, key: str, kind: str = LoginThrottle.Kind.ACCOUNT) -> int:
    """Lift the lockout of an account (its username) or of a client address (a security
    administrator's action); the account's right password works at once."""
    require(actor, MANAGE_USERS)
    kind = LoginThrottle.Kind(kind)
    with transaction.atomic():
        count = LoginThrottle.objects.filter(kind=kind, key=key).update(
            failures=0, first_failure=None, locked_until=None
        )
        account = kind == LoginThrottle.Kind.ACCOUNT
        log(
            Action.UNLOCK,
            actor,
            User.objects.filter(username=key).first() if account else None,
            object_type="accounts.user" if account else "accounts.loginthrottle",
            object_repr=key,
            note=f"解除{kind.label} {key} 的登录锁定",
        )
    return count


def do_reset_password(actor, user: User, password: str) -> User:
    """A security administrator sets a new initial password; the user must change it."""
    require(actor, MANAGE_USERS)
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.must_change_password = True
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        log(Action.UPDATE, actor, user, note="重置密码（下次登录须修改）")
    return user


def do_enable_totp(user: User, secret: str, counter: int) -> User:
    """The user has proven their authenticator shows this secret's codes."""
    with transaction.atomic():
        user.totp_secret, user.totp_last_counter = secret, counter
        user.save(update_fields=["totp_secret", "totp_last_counter"])
        log(Action.UPDATE, user, user, note="启用动态口令（双因素认证）")
    return user


def do_reset_totp(actor, user: User) -> User:
    """A security administrator removes a user's second factor (e.g. a lost phone)."""
    require(actor, MANAGE_USERS)
    with transaction.atomic():
        user.totp_secret, user.totp_last_counter = "", 0
        user.save(update_fields=["totp_secret", "totp_last_counter"])
        log(Action.UPDATE, actor, user, note="重置动态口令（须重新绑定）")
    return user


def do_use_totp(user: User, counter: int) -> None:
    User.objects.filter(pk=user.pk).update(totp_last_counter=counter)
