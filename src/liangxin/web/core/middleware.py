"""Request id for the audit log, and a Content-Security-Policy that keeps every page local
(images may also come from the origins an app allows with ``allow_images_from``, such as the
configured map tile server, and from nowhere else)."""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # ECharts and htmx set inline styles
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Each returns one origin (“scheme://host[:port]”) or "" for none; asked on every response, so
# that a changed setting takes effect at once.
_image_origins: list[Callable[[], str]] = []


def allow_images_from(origin: Callable[[], str]) -> None:
    """Let pages load images from ``origin()`` too (an app calls this from ``ready``)."""
    if origin not in _image_origins:
        _image_origins.append(origin)


def content_security_policy() -> str:
    origins = [o for o in (origin() for origin in _image_origins) if o]
    if not origins:
        return CONTENT_SECURITY_POLICY
    allowed = " ".join(["img-src 'self' data:", *origins])
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", allowed)


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    """For work done outside a request (background tasks carry their request's id)."""
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        token = _request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy())
        return response
