"""Settings from the environment.

- ``DATABASE_URL``: PostgreSQL (``postgres://user@host:5432/name``) or SQLite; default a SQLite
  file in the data directory, so the system runs with no set-up.
- ``LIANGXIN_DATA_DIR``: database, uploads and generated files (default ``./var``).
- ``LIANGXIN_SECRET_KEY`` and ``LIANGXIN_AUDIT_KEY`` (the audit log's HMAC key, docs/security.md):
  for local use, when unset, each is generated once into the data directory (``secret.key``,
  ``audit.key``, readable by the owner only); production (``liangxin.web.settings_production``)
  requires both from the environment.
- ``LIANGXIN_DEBUG=1``: Django's debug pages (development only); ``LIANGXIN_DEMO=1``: set by
  ``liangxin web demo``. Neither is allowed in production.
- ``LIANGXIN_ALLOWED_HOSTS``: comma-separated (default ``127.0.0.1,localhost``).
- ``LIANGXIN_POLICY`` (default ``linyi-2020``) and ``LIANGXIN_AS_OF`` (统计日, default today).
- ``LIANGXIN_JOBS``: ``thread`` (default: a worker thread in the web process), ``inline`` (run
  at once, for tests) or ``external`` (``liangxin web worker`` runs them).
- ``LIANGXIN_MAP_TILE_URL``: a map tile server drawn under the 挂图作战 points, as a template
  such as ``https://tiles.example/{z}/{x}/{y}.png`` (web-mercator XYZ tiles, e.g. an intranet
  server); unset (the default): no tiles and no request leaves the server. The page's
  Content-Security-Policy then allows images from exactly that origin.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LIANGXIN_DATA_DIR", "var")).resolve()

DEBUG = os.environ.get("LIANGXIN_DEBUG") == "1"
DEMO = os.environ.get("LIANGXIN_DEMO") == "1"


def local_key(variable: str, file_name: str) -> str:
    """The key in ``variable``; unset, a random key kept in the data directory, made at the
    first run, so that ``liangxin web migrate`` works in a fresh folder and the key never lands
    in the repository. Production settings refuse to start without the variable."""
    value = os.environ.get(variable)
    if value:
        return value
    path = DATA_DIR / file_name
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


SECRET_KEY = local_key("LIANGXIN_SECRET_KEY", "secret.key")
ALLOWED_HOSTS = os.environ.get("LIANGXIN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "liangxin.web.core",
    "liangxin.web.accounts",
    "liangxin.web.audit",
    "liangxin.web.regions",
    "liangxin.web.orgs",
    "liangxin.web.parks",
    "liangxin.web.partyorgs",
    "liangxin.web.instructors",
    "liangxin.web.sources",
    "liangxin.web.review",
    "liangxin.web.jobs",
    "liangxin.web.county",
    "liangxin.web.imports",
    "liangxin.web.dashboard",
    "liangxin.web.ledger",
    "liangxin.web.api",
    "liangxin.web.closures",
    "liangxin.web.verify",
    "liangxin.web.assign",
    "liangxin.web.periods",
    "liangxin.web.bulletins",
    "liangxin.web.maps",
    "liangxin.web.columnmaps",
    "liangxin.web.ops",
]

MIDDLEWARE = [
    "liangxin.web.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "liangxin.web.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "liangxin.web.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "liangxin.web.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "liangxin.web.urls"
WSGI_APPLICATION = "liangxin.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liangxin.web.core.context.site",
            ],
            "builtins": ["liangxin.web.core.templatetags.liangxin"],
        },
    }
]

_SQLITE_DEFAULT = f"sqlite:///{DATA_DIR / 'liangxin.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _SQLITE_DEFAULT))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets pages read while the worker writes; IMMEDIATE takes the write lock up front so
    # two writers queue instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = ["liangxin.web.accounts.backends.LockoutBackend"]
AUTH_PASSWORD_VALIDATORS = [  # 等保 三级 身份鉴别 (docs/security.md §1): messages in Chinese
    {"NAME": "liangxin.web.accounts.validators.LengthValidator", "OPTIONS": {"min_length": 8}},
    {
        "NAME": "liangxin.web.accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {"NAME": "liangxin.web.accounts.validators.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Local use: the Django process serves the CSS and scripts itself (``liangxin web runserver``
# shows styled pages without DEBUG); production: the web server serves ``collectstatic``'s copy.
LIANGXIN_SERVE_STATIC = True
MEDIA_ROOT = DATA_DIR / "files"
DATA_UPLOAD_MAX_NUMBER_FILES = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every upload goes to a temporary file and stops being received past LIANGXIN_UPLOAD_MAX_MB.
FILE_UPLOAD_HANDLERS = ["liangxin.web.imports.limits.SizeLimitedUploadHandler"]

LIANGXIN_POLICY = os.environ.get("LIANGXIN_POLICY", "linyi-2020")
LIANGXIN_AS_OF = os.environ.get("LIANGXIN_AS_OF", "")
LIANGXIN_JOBS = os.environ.get("LIANGXIN_JOBS", "thread")
LIANGXIN_PAGE_SIZE = 50
# checked when the maps app starts (``maps/apps.py``)
LIANGXIN_MAP_TILE_URL = os.environ.get("LIANGXIN_MAP_TILE_URL", "").strip()


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数") from None


# Security (docs/security.md §1): periodic password change (0 = never), lockout, idle session timeout.
LIANGXIN_PASSWORD_MAX_AGE_DAYS = _int_env("LIANGXIN_PASSWORD_MAX_AGE_DAYS", 90)
LIANGXIN_LOCKOUT_FAILURES = _int_env("LIANGXIN_LOCKOUT_FAILURES", 5)
LIANGXIN_LOCKOUT_MINUTES = _int_env("LIANGXIN_LOCKOUT_MINUTES", 15)
# Failures from one address (any accounts) before that address is locked: higher than the
# per-account limit, since users behind one NAT or proxy share an address.
LIANGXIN_LOCKOUT_ADDRESS_FAILURES = _int_env("LIANGXIN_LOCKOUT_ADDRESS_FAILURES", 50)
LIANGXIN_SESSION_IDLE_MINUTES = _int_env("LIANGXIN_SESSION_IDLE_MINUTES", 30)
# The request header carrying the client address when behind a reverse proxy (e.g.
# ``HTTP_X_REAL_IP``); empty: the connection's address (REMOTE_ADDR).
LIANGXIN_CLIENT_ADDRESS_HEADER = os.environ.get("LIANGXIN_CLIENT_ADDRESS_HEADER", "")
# What one uploaded file may cost (imports/limits.py), checked before any analysis.
LIANGXIN_UPLOAD_MAX_MB = _int_env("LIANGXIN_UPLOAD_MAX_MB", 200)
LIANGXIN_UPLOAD_MAX_UNCOMPRESSED_MB = _int_env("LIANGXIN_UPLOAD_MAX_UNCOMPRESSED_MB", 1024)
LIANGXIN_UPLOAD_MAX_SHEETS = _int_env("LIANGXIN_UPLOAD_MAX_SHEETS", 100)
LIANGXIN_UPLOAD_MAX_ROWS = _int_env("LIANGXIN_UPLOAD_MAX_ROWS", 1_048_576)
LIANGXIN_UPLOAD_MAX_CELLS = _int_env("LIANGXIN_UPLOAD_MAX_CELLS", 50_000_000)
# Second factor (TOTP): required of 县级管理员, 安全管理员 and 审计员 when on; others may opt in.
LIANGXIN_TOTP = os.environ.get("LIANGXIN_TOTP") == "1"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The audit log's chain key (audit/chain.py).
LIANGXIN_AUDIT_KEY = local_key("LIANGXIN_AUDIT_KEY", "audit.key")
# How long audit records are kept at least (days); never below 180 (等保 三级: 6 months).
LIANGXIN_AUDIT_RETENTION_DAYS = _int_env("LIANGXIN_AUDIT_RETENTION_DAYS", 365)
if LIANGXIN_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("审计日志保存期限 LIANGXIN_AUDIT_RETENTION_DAYS 不得少于180天")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"liangxin": {"handlers": ["console"], "level": "INFO"}},
}
