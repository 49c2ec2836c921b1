"""A generated county, imported once per session through the web app's own import path.

Two 镇街 users (town A and town B) see disjoint parts of it; a supplementary survey with two
doubtful names (a 字号 slip, another form) leaves doubtful matches in the 待确认 queue.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from web_county import (
    EXTRA,
    N_ORGS,
    SEED,
    County,
    import_files,
    make_user,
    write_extra_survey,
)

from liangxin.synth import generate


@pytest.fixture(scope="session")
def county_files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("county")
    generate(folder, seed=SEED, n_orgs=N_ORGS)
    return folder


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, county_files, tmp_path_factory):
    """The county, imported in two batches, and one user per role."""
    from liangxin.web.core.scope import Role
    from liangxin.web.instructors.models import Instructor
    from liangxin.web.orgs.models import Org
    from liangxin.web.regions.models import Region

    with django_db_blocker.unblock():
        admin = make_user("admin", role=Role.COUNTY_ADMIN)
        import_files(admin, county_files)
        towns = list(Region.objects.filter(level=Region.Level.TOWN).order_by("name"))
        picks = [
            Org.objects.filter(
                town=town.name, kind="enterprise", in_scope=True, credit_code__isnull=False
            )
            .exclude(name__regex=r"^.{0,7}$")
            .order_by("org_id")
            .first()
            for town in towns[:2]
        ]
        extra = tmp_path_factory.mktemp("extra") / EXTRA
        write_extra_survey(extra, picks)
        import_files(admin, extra)
        make_user("town_a", role=Role.TOWN, region=towns[0])
        make_user("town_b", role=Role.TOWN, region=towns[1])
        make_user("leader", role=Role.LEADER)
        make_user("dept", role=Role.DEPARTMENT, dept_subtypes=["association", "foundation"])
        make_user(
            "guide",
            role=Role.INSTRUCTOR,
            instructor=Instructor.objects.order_by("entity_id").first(),
        )
    yield


@pytest.fixture(scope="session")
def county(django_db_setup, county_files, django_db_blocker) -> County:
    from liangxin.web.imports.models import ImportFile
    from liangxin.web.regions.models import Region

    with django_db_blocker.unblock():
        towns = list(
            Region.objects.filter(level=Region.Level.TOWN)
            .order_by("name")
            .values_list("name", flat=True)
        )
        extra = Path(ImportFile.objects.get(name=EXTRA).path)
    return County(county_files, extra, towns[0], towns[1])


@pytest.fixture
def users(db):
    from liangxin.web.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def client_for(client, users):
    """A logged-in test client for one of the session's users."""

    def login(username: str):
        client.force_login(users[username])
        return client

    return login


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's uploads and what is left of its SQLite test database (WAL files)."""
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    test_name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if test_name and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        for leftover in Path(test_name).parent.glob(Path(test_name).name + "*"):
            leftover.unlink(missing_ok=True)
