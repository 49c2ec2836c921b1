"""The pages show what the data says: filters, sorting, provenance, masking."""

from __future__ import annotations

import json
import re

import pytest

from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.models import Org
from liangxin.web.parks.models import Park
from liangxin.web.partyorgs.models import PartyOrg

pytestmark = pytest.mark.django_db


def rows(page: str, url: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'href="{url}(\d+)/"', page)]


def test_dashboard_chart_data_has_both_rates_with_numerators(client_for):
    page = client_for("admin").get("/").content.decode()
    data = json.loads(re.search(r'id="coverage-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert data and {"town", "org", "work"} <= set(data[0])
    assert (
        data[0]["org"]["denominator"]
        == Org.objects.filter(town=data[0]["town"], in_scope=True).count()
    )
    assert "vendor/echarts/echarts.common.min.js" in page


def test_org_list_filters_by_flag_and_kind_and_sorts(client_for):
    client = client_for("admin")
    page = client.get("/orgs/?flags=due_unestablished&kind=enterprise&sort=-employees").content
    shown = rows(page.decode(), "/orgs/")
    expected = Org.objects.filter(due_unestablished=True, kind="enterprise")
    assert set(shown) == set(expected.values_list("pk", flat=True)[:50])
    employees = [Org.objects.get(pk=pk).employees or 0 for pk in shown]
    assert employees == sorted(employees, reverse=True)


def test_org_list_paginates(client_for):
    client = client_for("admin")
    first = rows(client.get("/orgs/").content.decode(), "/orgs/")
    second = rows(client.get("/orgs/?page=2").content.decode(), "/orgs/")
    assert len(first) == 50 and second and not set(first) & set(second)


def test_org_detail_links_every_value_to_its_source_row(client_for):
    org = Org.objects.filter(kind="enterprise", records__kind="registry").first()
    page = client_for("admin").get(f"/orgs/{org.pk}/").content.decode()
    record = org.records.get(kind="registry")
    assert f'href="/sources/{record.pk}/"' in page and record.ref in page
    source = client_for("admin").get(f"/sources/{record.pk}/").content.decode()
    assert record.values["name"] in source and f'href="/orgs/{org.pk}/"' in source


def test_personal_data_is_masked(client_for, users):
    # revealing needs a permission and a reason: tests/web/security/test_personal_data.py
    org = Org.objects.restrict(users["town_a"]).exclude(phone=None).first()
    client = client_for("town_a")
    assert org.phone not in client.get(f"/orgs/{org.pk}/").content.decode()
    assert org.phone[-4:] in client.get(f"/orgs/{org.pk}/").content.decode()
    assert org.phone not in client.get(f"/orgs/{org.pk}/?reveal=1").content.decode()
    leader = client_for("leader").get(f"/orgs/{org.pk}/?reveal=1").content.decode()
    assert org.phone not in leader


def test_party_org_page_lists_units_and_findings(client_for):
    party_org = PartyOrg.objects.filter(units__isnull=False).first()
    page = client_for("admin").get(f"/partyorgs/{party_org.pk}/").content.decode()
    for unit in party_org.units.all():
        assert f'href="/orgs/{unit.pk}/"' in page
    assert "空壳支部" in page and "超大支部" in page
    assert party_org.secretary not in page, "the secretary's name is masked"


def test_instructor_list_masks_phones(client_for):
    instructor = Instructor.objects.exclude(phone=None).first()
    page = client_for("admin").get("/instructors/").content.decode()
    assert instructor.phone not in page and instructor.phone[:3] + "****" in page


def test_park_page_lists_its_units(client_for):
    park = Park.objects.filter(units__isnull=False).first()
    page = client_for("admin").get(f"/parks/{park.pk}/").content.decode()
    assert all(f'href="/orgs/{u.pk}/"' in page for u in park.units.all())


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/orgs/",
        "/partyorgs/",
        "/instructors/",
        "/parks/",
        "/review/",
        "/imports/",
        "/ledger/",
        "/audit/",
        "/imports/new/",
    ],
)
def test_every_page_renders_for_the_county_admin(client_for, url):
    response = client_for("admin").get(url)
    assert response.status_code == 200
    assert (
        "Content-Security-Policy" in response
        and "default-src 'self'" in response["Content-Security-Policy"]
    )
