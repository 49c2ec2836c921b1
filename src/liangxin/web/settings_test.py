"""Settings for the test suite: the real settings with a test secret, fast hashing, tasks run
at once, and a SQLite test database in a file (the live server and worker threads share it).
Uploads go to a folder of this test run, removed at its end (tests/web/conftest.py)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("LIANGXIN_SECRET_KEY", "liangxin-tests-only")
os.environ.setdefault("LIANGXIN_AUDIT_KEY", "liangxin-tests-only-audit-key")
os.environ.setdefault("LIANGXIN_DATA_DIR", os.path.join(tempfile.gettempdir(), "liangxin-tests"))

from liangxin.web.settings import *  # noqa: E402, F403
from liangxin.web.settings import DATA_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LIANGXIN_JOBS = "inline"
LIANGXIN_AS_OF = "2020-07-01"
MEDIA_ROOT = Path(DATA_DIR) / f"files-{os.getpid()}"
# One test database per test run, so runs on the same machine (a developer's and CI's) never
# collide on a shared name.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(Path(DATA_DIR) / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_liangxin_{os.getpid()}"}
