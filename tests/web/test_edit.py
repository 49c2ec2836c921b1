"""Correcting survey facts: validation, audit before/after, re-screening of flags."""

from __future__ import annotations

import pytest

from liangxin.web.audit.models import AuditLog
from liangxin.web.dashboard.metrics import county_metrics
from liangxin.web.orgs.forms import SurveyFactsForm
from liangxin.web.orgs.models import Org, SurveyFact

pytestmark = pytest.mark.django_db


def candidate(town: str) -> Org:
    """An in-scope enterprise that would have to set up its own party organization with
    three formal members: not covered, not above scale, enough employees."""
    org = (
        Org.objects.filter(
            town=town,
            kind="enterprise",
            in_scope=True,
            org_covered=False,
            single_required=False,
            employees__gte=5,
            employees__lt=100,
        )
        .exclude(formal_members__gte=3)
        .order_by("org_id")
        .first()
    )
    assert org is not None
    return org


def form_data(org: Org, **changes) -> dict:
    """What the browser posts: every field as shown, with the user's changes."""
    initial = SurveyFactsForm(org=org).initial
    data = {name: "" if value is None else value for name, value in initial.items()}
    return {**data, **changes}


def test_more_formal_members_than_employees_is_refused(client_for, county):
    org = candidate(county.town_a)
    response = client_for("town_a").post(
        f"/orgs/{org.pk}/edit/", form_data(org, employees=5, survey_formal_members=6)
    )
    assert response.status_code == 400
    assert "正式党员数不能超过从业人员数" in response.content.decode()
    assert not SurveyFact.objects.filter(org=org).exists()


def test_negative_numbers_are_refused(client_for, county):
    org = candidate(county.town_a)
    response = client_for("town_a").post(f"/orgs/{org.pk}/edit/", form_data(org, employees=-1))
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.employees >= 5


def test_editing_members_rescreens_flags_dashboard_and_audits(client_for, users, county):
    org = candidate(county.town_a)
    before_members = org.survey_formal_members
    dashboard = county_metrics(Org.objects.restrict(users["town_a"]))["total"]
    client = client_for("town_a")
    response = client.post(
        f"/orgs/{org.pk}/edit/", form_data(org, survey_formal_members=3), follow=True
    )
    assert response.status_code == 200

    org.refresh_from_db()
    assert org.survey_formal_members == 3 and org.formal_members == 3
    assert org.single_required and org.due_unestablished
    assert org.sources["survey_formal_members"].startswith("网页修改（town_a")
    after = county_metrics(Org.objects.restrict(users["town_a"]))["total"]
    assert after["due_unestablished"] == dashboard["due_unestablished"] + 1
    assert after["due"] == dashboard["due"] + 1

    edit = AuditLog.objects.filter(
        object_type="orgs.org", object_id=str(org.pk), action=AuditLog.Action.UPDATE
    )
    by_user = edit.get(note="修改摸排信息")
    assert by_user.user == users["town_a"] and by_user.request_id
    assert by_user.before == {"survey_formal_members": before_members}
    assert by_user.after == {"survey_formal_members": 3}
    rescreen = edit.exclude(pk=by_user.pk).get()
    assert rescreen.before["due_unestablished"] is False
    assert rescreen.after["due_unestablished"] is True
    assert rescreen.request_id == by_user.request_id, "the background work keeps its request id"

    page = client.get(f"/orgs/{org.pk}/").content.decode()
    assert "修改摸排信息" in page and "应建未建" in page


def test_a_correction_survives_the_next_import(users, county):
    from web_county import import_files

    org = candidate(county.town_b)
    from liangxin.web.orgs.actions import do_set_survey_facts

    do_set_survey_facts(users["town_b"], org, {"employees": 321})
    import_files(users["admin"], county.folder)
    org.refresh_from_db()
    assert org.employees == 321 and org.above_scale


def test_an_unchanged_form_changes_nothing(client_for, county):
    org = candidate(county.town_a)
    response = client_for("town_a").post(f"/orgs/{org.pk}/edit/", form_data(org), follow=True)
    assert "没有修改" in response.content.decode()
    assert not SurveyFact.objects.filter(org=org).exists()
