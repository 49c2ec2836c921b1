"""Seconds of the screening re-run after one survey edit: local (the part the edit reaches) vs
the whole county, on the database the environment names (``DATABASE_URL`` or
``LIANGXIN_DATA_DIR``, as for ``python -m liangxin.web``). Everything runs in one transaction
that is rolled back: the database is left as it was.

    LIANGXIN_DATA_DIR=/tmp/lx3k python benchmarks/rescreen_one_edit.py [--edits 5]

``--no-full`` skips the whole-county run (at 1,000,000 organizations it needs more memory than
this machine has; the local runs are then compared with the whole-county figure of a smaller
database measured separately).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from _web_copies import COPY_MARK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=5, help="local re-runs to time (median)")
    parser.add_argument("--no-full", action="store_true", help="skip the whole-county run")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangxin.web.settings")
    os.environ["LIANGXIN_JOBS"] = "inline"
    os.environ.setdefault("LIANGXIN_DEMO", "1")  # the demo's keys unless others are set
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from liangxin.web.accounts.models import User
    from liangxin.web.county.models import CountyWords
    from liangxin.web.jobs.models import Job
    from liangxin.web.jobs.worker import enqueue
    from liangxin.web.orgs.actions import do_set_survey_facts
    from liangxin.web.orgs.models import Org
    from liangxin.web.parks.models import Park

    user = User.objects.filter(is_superuser=True).first() or User.objects.first()
    total = Org.objects.count()
    # Edits go to imported organizations: a copy made by ``web_load.py --copies`` carries its
    # original's source rows, so re-screened alone it links them to the original's id.
    imported = Org.objects.filter(in_scope=True).exclude(org_id__contains=COPY_MARK)
    orgs = list(imported.order_by("org_id")[: args.edits + 1])
    biggest = Park.objects.annotate(n=Count("units")).order_by("-n").first()
    in_park = biggest.units.filter(in_scope=True).order_by("org_id").first() if biggest else None

    def full() -> float:
        started = time.perf_counter()
        task = enqueue("rescreen", "全县重新筛查", user, reason="基准测试")
        assert task.status == Job.Status.DONE, task.error
        return time.perf_counter() - started

    def edit(org, facts) -> tuple[float, int, int]:
        """(seconds, organizations screened, queries) of one edit and its re-screening."""
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            task = do_set_survey_facts(user, org, facts)
            seconds = time.perf_counter() - started
        assert task.status == Job.Status.DONE and task.result["orgs"], task.result
        return seconds, task.result["orgs"], len(captured.captured_queries)

    with transaction.atomic():
        first_full = None if CountyWords.current() else full()  # the county's words
        cold = edit(orgs[0], {"employees": (orgs[0].employees or 0) + 1})
        runs = [edit(o, {"employees": (o.employees or 0) + 1}) for o in orgs[1:]]
        # worst case: an organization of the largest park leaves the scope (its park's task
        # counts every unit of the park)
        worst = edit(in_park, {"operating": "查无此单位"}) if in_park else None
        whole = None if args.no_full else full()
        transaction.set_rollback(True)

    seconds = [r[0] for r in runs]
    print(f"{connection.vendor}, {total:,} organizations")
    if first_full is not None:
        print(f"  (first full run to learn the county's words: {first_full:.2f} s)")
    print(
        f"  one survey edit, local re-screening: median {statistics.median(seconds):.3f} s, "
        f"max {max(seconds):.3f} s over {len(runs)} edits (parts of "
        f"{min(r[1] for r in runs)}–{max(r[1] for r in runs)} organizations, "
        f"≤ {max(r[2] for r in runs)} queries); first edit in the process {cold[0]:.3f} s"
    )
    if worst is not None:
        print(
            f"  worst case, unit of the largest park ({biggest.units.count()} units) leaves "
            f"the scope: {worst[0]:.3f} s ({worst[1]} organizations, {worst[2]} queries)"
        )
    if whole is not None:
        print(f"  whole county re-screening:            {whole:.3f} s")


if __name__ == "__main__":
    main()
