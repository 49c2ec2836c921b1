"""Idle session timeout and forced password change (等保 三级 身份鉴别)."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

LAST_SEEN = "liangxin_last_seen"


class IdleTimeoutMiddleware:
    """Log out a session idle for more than ``LIANGXIN_SESSION_IDLE_MINUTES`` (default 30);
    the login page follows (``LoginRequiredMiddleware``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            idle = settings.LIANGXIN_SESSION_IDLE_MINUTES * 60
            if idle and last is not None and now - int(last) > idle:
                request.logout_reason = (
                    f"闲置超过{settings.LIANGXIN_SESSION_IDLE_MINUTES}分钟自动退出"
                )
                logout(request)
            elif last is None or now - int(last) >= 30:  # save the session at most every 30 s
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def password_expired(user) -> bool:
    if user.must_change_password:
        return True
    days = settings.LIANGXIN_PASSWORD_MAX_AGE_DAYS
    changed = user.password_changed_at
    return (
        bool(days)
        and changed is not None
        and timezone.now() - changed > datetime.timedelta(days=days)
    )


class PasswordChangeRequiredMiddleware:
    """An initial password, or one older than ``LIANGXIN_PASSWORD_MAX_AGE_DAYS``, must be changed
    before anything else is shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if getattr(view_func, "password_change_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):  # API endpoints answer for themselves
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if password_expired(user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:password')}?{query}")
        if getattr(view_func, "totp_exempt", False):
            return None
        if totp_required(user) and not user.totp_secret:
            return redirect("accounts:totp")
        return None


TOTP_ROLES = {"county_admin", "security_admin", "auditor"}


def totp_required(user) -> bool:
    return settings.LIANGXIN_TOTP and (user.is_superuser or user.role in TOTP_ROLES)
