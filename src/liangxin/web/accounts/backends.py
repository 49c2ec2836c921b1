"""Authentication with lockout: every login path that calls ``authenticate`` goes through it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from liangxin.web.accounts.lockout import (
    client_address,
    locked_until,
    record_failure,
    record_success,
)


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = client_address(request)
        if locked_until(username, address) is not None:
            raise PermissionDenied("locked")  # authenticate() stops and reports a failed login
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, address)
        elif not user.totp_secret:  # with a second factor, the count clears after the code
            record_success(username)
        return user
