"""Logins, logouts and failed logins go to the audit log."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from liangxin.web.audit.actions import Action, log


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log(Action.LOGIN, user, note=_client(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "logout_reason", "")
        log(Action.LOGOUT, user, note="；".join(filter(None, [reason, _client(request)])))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    name = str(credentials.get("username", ""))[:150]
    log(Action.LOGIN_FAILED, note=f"用户名：{name}；{_client(request)}")


def _client(request) -> str:
    from liangxin.web.accounts.lockout import client_address

    return f"地址 {client_address(request)}" if request is not None else ""
