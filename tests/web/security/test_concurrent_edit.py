"""Optimistic locking (docs/security.md §5): two people editing one organization never silently overwrite
each other; the second save is refused with a Chinese message and the latest values."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from liangxin.web.audit.models import AuditLog
from liangxin.web.orgs.actions import EditConflict, do_set_survey_facts
from liangxin.web.orgs.forms import SurveyFactsForm
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db


def form_data(org: Org, version, **changes) -> dict:
    initial = SurveyFactsForm(org=org).initial
    data = {name: "" if value is None else value for name, value in initial.items()}
    return {**data, "version": version, **changes}


def shown_version(page: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


@pytest.fixture
def org(users):
    return Org.objects.restrict(users["town_a"]).filter(kind="enterprise").order_by("pk").first()


def test_the_second_of_two_concurrent_edits_is_refused(users, org):
    first, second = Client(), Client()
    first.force_login(users["town_a"])
    second.force_login(users["admin"])
    url = f"/orgs/{org.pk}/edit/"
    v1 = shown_version(first.get(url).content.decode())
    v2 = shown_version(second.get(url).content.decode())
    assert v1 == v2 == org.version

    assert first.post(url, form_data(org, v1, employees=41)).status_code == 302
    refused = second.post(url, form_data(org, v2, employees=57))
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "保存冲突" in page and "town_a" in page and "您的修改没有保存" in page
    org.refresh_from_db()
    assert org.employees == 41 and org.version == v1 + 1
    assert 'value="41"' in page  # the latest values, to start again from
    edits = AuditLog.objects.filter(
        object_id=str(org.pk), object_type="orgs.org", note="修改摸排信息"
    )
    assert [e.username for e in edits] == ["town_a"]

    # starting again from the latest version saves
    assert second.post(url, form_data(org, shown_version(page), employees=57)).status_code == 302
    org.refresh_from_db()
    assert org.employees == 57 and org.version == v1 + 2


def test_the_action_refuses_a_stale_version(users, org):
    do_set_survey_facts(users["town_a"], org, {"employees": 33}, org.version)
    with pytest.raises(EditConflict):
        do_set_survey_facts(users["admin"], org, {"employees": 34}, org.version)
    org.refresh_from_db()
    assert org.employees == 33
