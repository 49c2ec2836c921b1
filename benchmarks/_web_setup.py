"""Bench users and request targets for ``web_load.py``, run in a child process with the bench's
environment (``DATABASE_URL`` …):

    python benchmarks/_web_setup.py CONFIG.json

Creates (or resets) the bench users through the app's own ``do_save_user`` — a 县级管理员, a
镇街 user of the largest 镇街 and an 审计员 — and writes a JSON file with their passwords and
what the simulated users request: the 镇街, sample organizations (county-wide and in the 镇街),
search terms taken from real names, party organizations.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangxin.web.settings")

import django  # noqa: E402

django.setup()

from liangxin.web.accounts.actions import do_save_user  # noqa: E402
from liangxin.web.core.scope import Role  # noqa: E402
from liangxin.web.orgs.models import Org  # noqa: E402
from liangxin.web.partyorgs.models import PartyOrg  # noqa: E402
from liangxin.web.regions.models import Region  # noqa: E402

SAMPLE = 300


def password() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "Bx-" + "".join(secrets.choice(alphabet) for _ in range(10)) + "7"


def sample_pks(queryset, n: int, rng: random.Random) -> list[int]:
    pks = list(queryset.values_list("pk", flat=True))
    return rng.sample(pks, min(n, len(pks)))


def search_terms(names: list[str], rng: random.Random) -> list[str]:
    """What a user types: four characters from the middle of a real name."""
    terms = []
    for name in names:
        if len(name) >= 8:
            start = rng.randrange(2, len(name) - 5)
            terms.append(name[start : start + 4])
    return terms


def main(out: str) -> None:
    rng = random.Random(7)
    towns = list(Region.objects.filter(level=Region.Level.TOWN).values_list("pk", "name", "path"))
    sizes = {path: Org.objects.filter(region_path__under=path).count() for _, _, path in towns}
    pk, name, path = max(towns, key=lambda t: sizes[t[2]])
    town = Region.objects.get(pk=pk)
    users = {
        "admin": ("bench-admin", {"role": Role.COUNTY_ADMIN}),
        "town": ("bench-town", {"role": Role.TOWN, "region": town}),
        "auditor": ("bench-auditor", {"role": Role.AUDITOR}),
    }
    logins, saved = {}, {}
    for key, (username, fields) in users.items():
        secret = password()
        saved[key] = do_save_user(None, username, secret, f"压力测试{key}", **fields)
        logins[key] = {"username": username, "password": secret}
    in_town = Org.objects.filter(region_path__under=path)
    names = list(Org.objects.filter(pk__in=sample_pks(Org.objects, 100, rng)).values_list("name"))
    config = {
        "logins": logins,
        "town": {"pk": pk, "name": name, "orgs": sizes[path]},
        "towns": [t[0] for t in towns],
        "orgs": Org.objects.count(),
        "county_orgs": sample_pks(Org.objects, SAMPLE, rng),
        "town_orgs": sample_pks(in_town, SAMPLE, rng),
        "search": search_terms([n for (n,) in names], rng),
        "party_orgs": sample_pks(PartyOrg.objects, SAMPLE, rng),
        "town_party_orgs": sample_pks(PartyOrg.objects.restrict(saved["town"]), SAMPLE, rng),
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
