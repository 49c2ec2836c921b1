"""Change history on detail pages: one readable row per changed field (Chinese label,
before → after), sources summarised as “来源：…”, personal data masked, units as names."""

from __future__ import annotations

import html

import pytest

from liangxin.web.audit.actions import Action, log
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.history import change_rows
from liangxin.web.core.masking import mask_field
from liangxin.web.orgs.actions import do_set_survey_facts
from liangxin.web.orgs.models import Org
from liangxin.web.partyorgs.actions import do_set_party_org_facts
from liangxin.web.partyorgs.models import PartyOrg

pytestmark = pytest.mark.django_db


def history_of(client, url: str) -> str:
    page = client.get(url).content.decode()
    return html.unescape(page.split('id="history"', 1)[1].split("</main>", 1)[0])


def an_org(users, county) -> Org:
    org = (
        Org.objects.filter(town=county.town_a, in_scope=True, employees__gte=5)
        .exclude(legal_rep=None)
        .order_by("org_id")
        .first()
    )
    assert org is not None
    return org


def test_an_edit_and_its_rescreening_read_field_by_field(client_for, users, county):
    org = an_org(users, county)
    old = org.employees
    do_set_survey_facts(users["town_a"], org, {"employees": old + 500})
    history = history_of(client_for("town_a"), f"/orgs/{org.pk}/")
    assert f"从业人员数</th><td>{old}</td><td>→</td><td>{old + 500}" in history
    created = f'从业人员数</th><td>—</td><td>→</td><td>{old}<div class="text-muted">来源：'
    assert created + org.sources["employees"] + "</div>" in history  # the import's entry
    assert "规上" in history  # the re-screening's changed flag, by its label
    assert "{'" not in history and "sources" not in history
    assert "取值来源" not in history
    assert "数据来源</th><td>—</td><td>→</td><td>" in history and "survey" not in history


def test_personal_data_in_the_history_is_masked(client_for, users, county):
    org = an_org(users, county)
    log(
        Action.UPDATE,
        users["admin"],
        org,
        before={"legal_rep": "欧阳明华", "phone": "13912345678"},
        after={"legal_rep": "司马光远", "phone": "13887654321"},
    )
    history = history_of(client_for("town_a"), f"/orgs/{org.pk}/")
    for raw in ("欧阳明华", "司马光远", "13912345678", "13887654321"):
        assert raw not in history
    assert mask_field("legal_rep", "司马光远") in history
    assert mask_field("phone", "13887654321") in history


def test_a_changed_source_alone_is_one_row(users, county):
    org = an_org(users, county)
    entry = log(
        Action.UPDATE,
        users["admin"],
        org,
        before={
            "sources": {"employees": "社保.csv［Sheet1］第3行", "phone": "摸排.xlsx［表1］第9行"}
        },
        after={"sources": {"employees": "摸排.xlsx［表1］第7行", "phone": "摸排.xlsx［表1］第9行"}},
    )
    rows = change_rows(entry, users["admin"])
    assert [(r.label, r.before, r.after) for r in rows] == [
        ("从业人员数的来源", "社保.csv［Sheet1］第3行", "摸排.xlsx［表1］第7行")
    ]


def test_codes_read_as_labels_and_units_as_names_in_scope(users, county):
    party_org = (
        PartyOrg.objects.restrict(users["town_a"])
        .filter(unit_count=1, units__town=county.town_a)
        .order_by("entity_id")
        .first()
    )
    unit = party_org.units.get()
    other = Org.objects.filter(town=county.town_b).order_by("org_id").first()
    entry = log(
        Action.UPDATE,
        users["admin"],
        party_org,
        before={"type": "branch", "units": [unit.org_id]},
        after={"type": "general_branch", "units": [unit.org_id, other.org_id]},
    )
    rows = {r.label: r for r in change_rows(entry, users["town_a"])}
    assert (rows["类别"].before, rows["类别"].after) == ("党支部", "党总支")
    assert rows["所在单位"].before == unit.name
    assert rows["所在单位"].after == f"{unit.name}，另有1个不在您查看范围内的单位"
    assert other.name not in rows["所在单位"].after
    admin_rows = {r.label: r for r in change_rows(entry, users["admin"])}
    assert other.name in admin_rows["所在单位"].after


def test_a_party_org_edit_shows_on_its_page(client_for, users, county):
    party_org = (
        PartyOrg.objects.restrict(users["town_a"])
        .exclude(secretary=None)
        .filter(units__town=county.town_a)
        .order_by("entity_id")
        .first()
    )
    old_secretary = party_org.secretary
    do_set_party_org_facts(users["town_a"], party_org, {"secretary": "诸葛明亮"})
    history = history_of(client_for("town_a"), f"/partyorgs/{party_org.pk}/")
    assert "书记" in history and "诸葛明亮" not in history and old_secretary not in history
    assert mask_field("secretary", "诸葛明亮") in history
    assert AuditLog.objects.filter(note="修改党组织信息", object_id=str(party_org.pk)).exists()


def test_the_audit_page_reads_changes_like_the_history(client_for, users, county):
    org = an_org(users, county)
    old = org.employees
    do_set_survey_facts(users["town_a"], org, {"employees": old + 500})
    log(Action.UPDATE, users["admin"], org, before={"phone": "13912345678"}, after={"phone": None})
    page = html.unescape(client_for("admin").get("/audit/?sort=-time").content.decode())
    body = page.split("<tbody>", 1)[1]
    assert f"从业人员数：{old} → {old + 500}\n修改摸排信息" in body
    assert "说明：" in body  # the re-screening's entry, by its label
    assert f"联系电话：{mask_field('phone', '13912345678')} → —" in body
    assert "13912345678" not in body
    assert "{'" not in body and "sources" not in body and "取值来源" not in body
