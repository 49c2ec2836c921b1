"""Correcting a party organization: scope, validation, audit before/after, re-screening of the
structure findings and of its units' flags; the correction survives the next import."""

from __future__ import annotations

import pytest
from django.db.models import Count

from liangxin.web.audit.models import AuditLog
from liangxin.web.orgs.models import Org
from liangxin.web.partyorgs.actions import do_set_party_org_facts
from liangxin.web.partyorgs.forms import PartyOrgForm
from liangxin.web.partyorgs.models import PartyOrg, PartyOrgFact

pytestmark = pytest.mark.django_db


def single_party_org(users, owner="town_a") -> PartyOrg:
    """An active 单独组建 party organization of one unit that has no other party organization,
    seen by ``owner`` only."""
    theirs = PartyOrg.objects.restrict(users["town_b" if owner == "town_a" else "town_a"])
    lonely = Org.objects.annotate(n=Count("party_orgs")).filter(n=1)
    party_org = (
        PartyOrg.objects.restrict(users[owner])
        .exclude(pk__in=theirs.values("pk"))
        .filter(mode="single", unit_count=1, active=True, units__in=lonely)
        .filter(units__single_established=True)
        .order_by("entity_id")
        .first()
    )
    assert party_org is not None
    return party_org


def uncovered_org(town: str) -> Org:
    org = (
        Org.objects.filter(
            town=town, kind="enterprise", in_scope=True, org_covered=False, party_orgs=None
        )
        .exclude(credit_code=None)
        .order_by("org_id")
        .first()
    )
    assert org is not None
    return org


def form_data(party_org: PartyOrg, user, **changes) -> dict:
    """What the browser posts: every field as shown, with the user's changes."""
    initial = PartyOrgForm(party_org=party_org, user=user).initial
    data = {name: "" if value is None else value for name, value in initial.items()}
    return {**data, "add_units": "", **changes}


def test_another_towns_party_org_cannot_be_edited(client_for, users):
    party_org = single_party_org(users)
    url = f"/partyorgs/{party_org.pk}/edit/"
    assert client_for("town_a").get(url).status_code == 200
    assert client_for("town_b").get(url).status_code == 404
    data = form_data(party_org, users["town_a"], secretary="张三")
    assert client_for("town_b").post(url, data).status_code == 404
    assert client_for("leader").get(url).status_code == 404
    party_org.refresh_from_db()
    assert party_org.secretary != "张三" and not PartyOrgFact.objects.exists()


def test_the_edit_button_shows_only_to_editors(client_for, users):
    party_org = single_party_org(users)
    edit = f'href="/partyorgs/{party_org.pk}/edit/"'
    assert edit in client_for("town_a").get(f"/partyorgs/{party_org.pk}/").content.decode()
    assert edit not in client_for("leader").get(f"/partyorgs/{party_org.pk}/").content.decode()


def test_units_of_another_town_cannot_be_added(client_for, users, county):
    party_org = single_party_org(users)
    other = uncovered_org(county.town_b)
    data = form_data(party_org, users["town_a"], mode="joint", add_units=other.credit_code)
    response = client_for("town_a").post(f"/partyorgs/{party_org.pk}/edit/", data)
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.content.decode()
    assert other.credit_code in response.content.decode()
    assert list(party_org.units.all()) != [other] and not PartyOrgFact.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"units": []}, "党组织至少要有一个所在单位"),
        ({"founded_on": "2999-01-01"}, "成立时间不能晚于今天"),
        ({"formal_members": "-1"}, ""),
        ({"add_units": "NOT-A-CODE"}, "找不到以下单位"),
    ],
)
def test_invalid_values_are_refused(client_for, users, changes, message):
    party_org = single_party_org(users)
    data = form_data(party_org, users["town_a"], **changes)
    response = client_for("town_a").post(f"/partyorgs/{party_org.pk}/edit/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PartyOrgFact.objects.exists()


def test_a_single_party_org_keeps_one_unit(client_for, users, county):
    party_org = single_party_org(users)
    extra = uncovered_org(county.town_a)
    data = form_data(party_org, users["town_a"], add_units=extra.credit_code)
    response = client_for("town_a").post(f"/partyorgs/{party_org.pk}/edit/", data)
    assert response.status_code == 400
    assert "单独组建的党组织只能有1个所在单位" in response.content.decode()


def test_moving_the_party_org_rescreens_both_units_and_audits(client_for, users, county):
    party_org = single_party_org(users)
    old_unit = party_org.units.get()
    new_unit = uncovered_org(county.town_a)
    data = form_data(party_org, users["town_a"], units=[], add_units=new_unit.credit_code.lower())
    response = client_for("town_a").post(f"/partyorgs/{party_org.pk}/edit/", data, follow=True)
    assert response.status_code == 200

    party_org.refresh_from_db()
    assert list(party_org.units.all()) == [new_unit] and party_org.unit_count == 1
    old_unit.refresh_from_db()
    new_unit.refresh_from_db()
    assert new_unit.org_covered and new_unit.single_established
    assert not old_unit.org_covered and not old_unit.single_established

    entries = AuditLog.objects.filter(object_type="partyorgs.partyorg", object_id=str(party_org.pk))
    by_user = entries.get(note="修改党组织信息")
    assert by_user.user == users["town_a"]
    assert by_user.before == {"units": [old_unit.org_id]}
    assert by_user.after == {"units": [new_unit.org_id]}
    rescreen = AuditLog.objects.filter(
        object_type="orgs.org", object_id=str(new_unit.pk), action=AuditLog.Action.UPDATE
    ).get()
    assert rescreen.before["org_covered"] is False and rescreen.after["org_covered"] is True
    assert rescreen.request_id == by_user.request_id


def test_fewer_members_raise_the_structure_finding(client_for, users):
    party_org = single_party_org(users)
    assert not party_org.undersize_single
    data = form_data(party_org, users["town_a"], formal_members=2, probationary_members=1)
    client_for("town_a").post(f"/partyorgs/{party_org.pk}/edit/", data)
    party_org.refresh_from_db()
    assert party_org.formal_members == 2 and party_org.members_total == 3
    assert party_org.undersize_single


def test_type_mode_secretary_and_date_are_kept_with_their_labels(client_for, users):
    party_org = single_party_org(users)
    data = form_data(
        party_org,
        users["town_a"],
        type="general_branch",
        secretary="王五",
        founded_on="2019-03-05",
    )
    client_for("town_a").post(f"/partyorgs/{party_org.pk}/edit/", data)
    party_org.refresh_from_db()
    assert party_org.type == "general_branch" and party_org.type_text == "党总支"
    assert party_org.secretary == "王五" and party_org.founded_on.isoformat() == "2019-03-05"
    facts = dict(PartyOrgFact.objects.filter(party_org=party_org).values_list("field", "value"))
    assert facts == {"type": "general_branch", "secretary": "王五", "founded_on": "2019-03-05"}


def test_an_unchanged_form_changes_nothing(client_for, users):
    party_org = single_party_org(users)
    data = form_data(party_org, users["town_a"])
    response = client_for("town_a").post(f"/partyorgs/{party_org.pk}/edit/", data, follow=True)
    assert "没有修改" in response.content.decode()
    assert not PartyOrgFact.objects.exists()


def test_a_correction_survives_the_next_import(users, county):
    from web_county import import_files

    party_org = single_party_org(users, owner="town_b")
    new_unit = uncovered_org(county.town_b)
    do_set_party_org_facts(
        users["town_b"], party_org, {"units": [new_unit.org_id], "formal_members": 7}
    )
    import_files(users["admin"], county.folder)
    party_org.refresh_from_db()
    assert list(party_org.units.all()) == [new_unit] and party_org.formal_members == 7
    new_unit.refresh_from_db()
    assert new_unit.org_covered
