"""Lockout after repeated failed logins, per account, and a throttle per client address
(等保 三级 身份鉴别).

``LIANGXIN_LOCKOUT_FAILURES`` failures (default 5) of one account within
``LIANGXIN_LOCKOUT_MINUTES`` (default 15) lock that account only, for
``LIANGXIN_LOCKOUT_MINUTES``. An address is locked only after the much higher
``LIANGXIN_LOCKOUT_ADDRESS_FAILURES`` (default 50): many users share one NAT or proxy address, and
one user's typos must not lock out their colleagues, while guessing many accounts from one
address is still stopped. A successful login clears the account's count (not the address's:
one valid account must not reset an address that is guessing others). While locked, the
password is not even checked.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from liangxin.web.accounts.models import LoginThrottle
from liangxin.web.audit.actions import Action, log

Kind = LoginThrottle.Kind


def client_address(request) -> str:
    if request is None:
        return ""
    header = settings.LIANGXIN_CLIENT_ADDRESS_HEADER
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", ""))[:150]


def _keys(username: str, address: str) -> list[tuple[str, str]]:
    keys = [(Kind.ACCOUNT, username[:150])] if username else []
    return keys + ([(Kind.ADDRESS, address)] if address else [])


def _limit(kind: str) -> int:
    if kind == Kind.ADDRESS:
        return settings.LIANGXIN_LOCKOUT_ADDRESS_FAILURES
    return settings.LIANGXIN_LOCKOUT_FAILURES


def locked_until(username: str, address: str, now: datetime.datetime | None = None):
    """When the lock on this account or address ends; ``None`` if neither is locked."""
    now = now or timezone.now()
    ends = [
        t.locked_until
        for kind, key in _keys(username, address)
        for t in LoginThrottle.objects.filter(kind=kind, key=key, locked_until__gt=now)
    ]
    return max(ends) if ends else None


def record_failure(username: str, address: str) -> None:
    now = timezone.now()
    window = datetime.timedelta(minutes=settings.LIANGXIN_LOCKOUT_MINUTES)
    with transaction.atomic():
        for kind, key in _keys(username, address):
            LoginThrottle.objects.get_or_create(kind=kind, key=key)
            throttle = LoginThrottle.objects.select_for_update().get(kind=kind, key=key)
            if throttle.first_failure is None or now - throttle.first_failure > window:
                throttle.failures, throttle.first_failure = 0, now
            throttle.failures += 1
            if throttle.failures >= _limit(kind):
                throttle.locked_until = now + window
                throttle.failures, throttle.first_failure = 0, None
                until = timezone.localtime(throttle.locked_until)
                log(
                    Action.LOCKOUT,
                    object_type="accounts.loginthrottle",
                    object_id=str(throttle.pk),
                    object_repr=f"{throttle.get_kind_display()} {key}",
                    note=f"连续{_limit(kind)}次登录失败，锁定至{until:%Y-%m-%d %H:%M}",
                )
            throttle.save()


def record_success(username: str) -> None:
    LoginThrottle.objects.filter(kind=Kind.ACCOUNT, key=username[:150]).update(
        failures=0, first_failure=None
    )
