"""What the console's pages say: totals that are totals, rates with their fractions, labels
instead of codes, met obligations read as met."""

from __future__ import annotations

import datetime
import re

import pytest

from liangxin.engine.dates import date_text
from liangxin.web.accounts.actions import do_save_user
from liangxin.web.core.scope import Role
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db


def cell(page: str, metric: str) -> str:
    return re.search(rf'data-metric="{metric}">([^<]*)<', page).group(1)


def test_the_periods_page_shows_all_units_and_every_rate_as_a_fraction(client_for):
    admin = client_for("admin")
    admin.post("/periods/freeze/", {"label": "2020年6月"})
    page = admin.get("/periods/").content.decode()
    in_scope = Org.objects.filter(in_scope=True)
    assert Org.objects.count() > in_scope.count()  # the county has organizations left out
    assert cell(page, "units") == str(Org.objects.count())
    assert cell(page, "total") == str(in_scope.count())
    due = in_scope.filter(single_required=True)
    established = due.filter(single_established=True).count()
    assert cell(page, "formation_rate").endswith(f"（{established}/{due.count()}）")
    covered = in_scope.filter(org_covered=True).count()
    assert cell(page, "org_coverage_rate").endswith(f"（{covered}/{in_scope.count()}）")


def test_the_users_page_shows_labels_and_a_status(client, users):
    security = do_save_user(None, "anquan", "Anquan-Admin9", "安全", role=Role.SECURITY_ADMIN)
    client.force_login(security)
    page = client.get("/account/users/").content.decode()
    assert "社会组织类型：社会团体、基金会" in page
    assert "association" not in page and "foundation" not in page
    dept_row = re.search(r"<tr>\s*<td><a[^>]*>dept</a>.*?</tr>", page, re.S).group(0)
    assert "正常" in dept_row


def test_an_assigned_instructor_reads_as_met(client_for):
    met = Org.objects.filter(instructor_required=True, work_covered=True).order_by("pk").first()
    unmet = Org.objects.filter(instructor_required=True, work_covered=False).order_by("pk")[0]
    assert met is not None and met.instructors.exists()
    admin = client_for("admin")
    page = admin.get(f"/orgs/{met.pk}/").content.decode()
    row = re.search(
        r'<tr class="([^"]*)" data-flag="应选派指导员"><td>[^<]*</td><td>([^<]*)<', page
    )
    assert row.groups() == ("", "已选派")
    page = admin.get(f"/orgs/{unmet.pk}/").content.decode()
    row = re.search(
        r'<tr class="([^"]*)" data-flag="应选派指导员"><td>[^<]*</td><td>([^<]*)<', page
    )
    assert row.groups() == ("flag-on", "是")
    listed = admin.get("/orgs/", {"q": met.name}).content.decode()
    assert f'href="/orgs/{met.pk}/"' in listed
    row = re.search(rf'href="/orgs/{met.pk}/".*?</tr>', listed, re.S).group(0)
    assert "应选派指导员" not in row


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def test_pages_write_dates_one_way(client_for):
    admin = client_for("admin")
    admin.post("/periods/freeze/", {"label": "2020年6月"})
    org = Org.objects.filter(founded_on__isnull=False).order_by("pk").first()
    for url in [f"/orgs/{org.pk}/", "/periods/", "/audit/", "/imports/", "/closures/"]:
        text = visible_text(admin.get(url).content.decode())
        assert not re.search(r"\b\d{4}-\d{1,2}-\d{1,2}\b", text), url
    text = visible_text(admin.get(f"/orgs/{org.pk}/").content.decode())
    assert date_text(org.founded_on) in text


def test_date_text():
    assert date_text(datetime.date(2020, 6, 30)) == "2020年6月30日"
    assert date_text(datetime.date(2021, 1, 5)) == "2021年1月5日"
    assert date_text(None) == ""
