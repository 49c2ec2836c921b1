"""One measurement of ``web_before_after.py``, run in a child process whose ``PYTHONPATH`` is one
checkout's ``src`` and whose environment names that side's SQLite data dir (``LIANGXIN_DATA_DIR``):

    python benchmarks/_web_measure.py import COUNTY_FOLDER
    python benchmarks/_web_measure.py rerun EDITS
    python benchmarks/_web_measure.py pages GETS SEED

Prints one JSON line: the figures and the file ``liangxin`` was imported from (the parent checks
that it is the checkout's). The same code runs against both sides of a restructuring, so a module
that moved is looked up under each of its names (``first_of``).
"""

from __future__ import annotations

import importlib
import json
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangxin.web.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

import liangxin  # noqa: E402
from liangxin.web.accounts.actions import do_save_user  # noqa: E402
from liangxin.web.core.scope import Role  # noqa: E402
from liangxin.web.ops.management.commands.demo import import_folder  # noqa: E402
from liangxin.web.orgs.actions import do_set_survey_facts  # noqa: E402
from liangxin.web.orgs.models import Org  # noqa: E402

ADMIN = "bench-admin"
PAGES = {
    "home": "/",
    "org list": "/orgs/",
    "org detail": "/orgs/{pk}/",
    "review queue": "/review/",
    "销号 list": "/closures/",
}


def first_of(*names: str):
    """The module under the first of its names that this checkout has."""
    for name in names:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if not f"{name}.".startswith(f"{missing.name}."):
                raise  # something the module itself imports is missing
    raise ModuleNotFoundError(f"none of {', '.join(names)}")


def measure_import(folder: str) -> dict:
    """Seconds of uploading, analysing and committing the county through the web import path."""
    call_command("migrate", verbosity=0)
    admin = do_save_user(
        None, ADMIN, f"Bx-{secrets.token_urlsafe(9)}7", "基准测试", role=Role.COUNTY_ADMIN
    )
    started = time.perf_counter()
    import_folder(Path(folder), admin)
    return {"seconds": time.perf_counter() - started, "orgs": Org.objects.count()}


def measure_rerun(edits: int) -> dict:
    """Seconds of a whole-county re-screening and (median) of a local one after a survey edit,
    as ``rescreen_one_edit.py`` measures them; rolled back."""
    rescreen = first_of(
        "liangxin.web.jobs.rescreen", "liangxin.web.tasks.rescreen", "liangxin.web.imports.rescreen"
    )
    county_words = first_of("liangxin.web.county.models", "liangxin.web.imports.models").CountyWords
    admin = get_user_model().objects.get(username=ADMIN)
    orgs = list(Org.objects.filter(in_scope=True).order_by("org_id")[: edits + 1])

    def timed(action, local: bool) -> float:
        started = time.perf_counter()
        job = action()
        seconds = time.perf_counter() - started
        assert job.status == type(job).Status.DONE, job.error
        assert bool(job.result["orgs"]) == local, job.result  # a local run names its part's size
        return seconds

    def whole() -> float:
        return timed(lambda: rescreen.request_rescreen(admin, reason="基准测试"), local=False)

    def edit(org) -> float:
        facts = {"employees": (org.employees or 0) + 1}
        return timed(lambda: do_set_survey_facts(admin, org, facts), local=True)

    with transaction.atomic():
        if county_words.current() is None:
            whole()  # the county's words, which a local re-screening needs
        edit(orgs[0])  # the first edit in a process pays for warming up
        local = [edit(org) for org in orgs[1:]]
        full = whole()
        transaction.set_rollback(True)
    return {"whole": full, "local": statistics.median(local)}


def measure_pages(gets: int, seed: int) -> dict:
    """Median milliseconds of ``gets`` GETs of each page by the 县级管理员, after one GET that warms
    caches; the organization shown is drawn by ``seed`` from the ids, the same on both sides."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=ADMIN))
    org_id, pk = random.Random(seed).choice(
        Org.objects.order_by("org_id").values_list("org_id", "pk")
    )
    medians = {}
    for name, pattern in PAGES.items():
        url = pattern.format(pk=pk)
        times = []
        for _ in range(gets + 1):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                sys.exit(f"GET {url}: HTTP {response.status_code}")
        medians[name] = statistics.median(times[1:]) * 1000
    return {"pages": medians, "org": org_id}


MEASUREMENTS = {
    "import": measure_import,
    "rerun": lambda edits: measure_rerun(int(edits)),
    "pages": lambda gets, seed: measure_pages(int(gets), int(seed)),
}


def main(kind: str, *params: str) -> None:
    figures = MEASUREMENTS[kind](*params)
    print(json.dumps({**figures, "liangxin": liangxin.__file__}, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
