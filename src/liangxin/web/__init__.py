"""The web system of record (issue 4): Django 5.2 project ``liangxin.web``.

``python -m liangxin.web <command>`` and ``liangxin web <command>`` are this project's
``manage.py``; ``liangxin web demo`` sets up and serves the demo county.
"""

from __future__ import annotations

import os
import sys

SETTINGS = "liangxin.web.settings"


def manage(argv: list[str]) -> int:
    """Run a Django management command (``argv`` without the program name)."""
    if argv[:1] == ["demo"]:
        # The demo runs on a developer's machine: a local secret and debug pages are fine.
        os.environ.setdefault("LIANGXIN_DEMO", "1")
        os.environ.setdefault("LIANGXIN_AS_OF", "2020-07-01")  # the demo county's 统计日
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["liangxin web", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(manage(sys.argv[1:]))
