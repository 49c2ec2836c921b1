"""Production settings (等保 三级): the ordinary settings, plus HTTPS only, secure cookies, HSTS.

``DJANGO_SETTINGS_MODULE=liangxin.web.settings_production``. Everything secret comes from the
environment: ``LIANGXIN_SECRET_KEY`` (at least 50 characters), ``LIANGXIN_AUDIT_KEY``,
``DATABASE_URL``; ``LIANGXIN_ALLOWED_HOSTS`` names the site. Behind a reverse proxy that
terminates TLS, set ``LIANGXIN_PROXY_SSL_HEADER=1`` (the proxy must set ``X-Forwarded-Proto``)
and ``LIANGXIN_CLIENT_ADDRESS_HEADER`` (e.g. ``HTTP_X_REAL_IP``) for the lockout by address.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before the ordinary settings load: they would make local key files in the data
# directory, which production never uses.
if "1" in (os.environ.get("LIANGXIN_DEBUG"), os.environ.get("LIANGXIN_DEMO")):
    raise ImproperlyConfigured("正式部署不能开启 LIANGXIN_DEBUG 或 LIANGXIN_DEMO")
if len(os.environ.get("LIANGXIN_SECRET_KEY", "")) < 50:
    raise ImproperlyConfigured("正式部署须在环境变量中设置至少50个字符的随机 LIANGXIN_SECRET_KEY")
if len(os.environ.get("LIANGXIN_AUDIT_KEY", "")) < 32:
    raise ImproperlyConfigured("正式部署须在环境变量中设置至少32个字符的随机 LIANGXIN_AUDIT_KEY")

from liangxin.web.settings import *  # noqa: E402, F403

LIANGXIN_SERVE_STATIC = False  # the reverse proxy serves ``collectstatic``'s copy

SECURE_SSL_REDIRECT = True
if os.environ.get("LIANGXIN_PROXY_SSL_HEADER") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SECURE_HSTS_SECONDS = 31536000  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
