"""Who is calling the API: a bearer token (``Authorization: Bearer lx_…``) or the session."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.utils import timezone

from liangxin.web.accounts.middleware import password_expired
from liangxin.web.api.models import ApiToken, digest

SCHEME = "Bearer"


def error(status: int, detail: str, **extra) -> JsonResponse:
    response = JsonResponse({"detail": detail, **extra}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = f'{SCHEME} realm="api"'
    return response


def token_user(header: str):
    """The active user of a valid, unrevoked token; ``None`` otherwise."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != SCHEME.lower() or not value.strip():
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=digest(value.strip()))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    token.mark_used(timezone.now())
    return token.user


def api_view(view):
    """Read-only JSON endpoint: GET only, token or session authentication, 404 as JSON."""

    @login_not_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error(405, "只支持 GET")
            response["Allow"] = "GET, HEAD"
            return response
        header = request.headers.get("Authorization", "")
        if header:
            user = token_user(header)
            if user is None:
                return error(401, "接口令牌无效或已吊销")
            request.user = user
        elif not request.user.is_authenticated:
            return error(401, "需要登录或提供接口令牌")
        if password_expired(request.user):  # as the pages do: a reset or aged password first
            return error(403, "该账户须先登录网页修改密码，之后才能使用接口")
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return error(404, "未找到")

    return wrapper
