"""Pages that must stay fast at city scale (docs/performance.md §3): a fixed number of queries whatever the
size of the county, 首页 figures computed once per data version and scope, the 组织 export
streamed from a file — and none of it crossing a 镇街's boundary."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.cache import cache
from django.http import FileResponse
from django.test.utils import override_settings

from liangxin.web.core.models import DataVersion
from liangxin.web.core.views import SearchPaginator
from liangxin.web.dashboard.metrics import county_metrics, scoped_metrics
from liangxin.web.orgs.models import Org
from liangxin.web.regions.models import Region

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def fresh_cache():
    with override_settings(CACHES=LOCAL_CACHE):
        cache.clear()
        yield
        cache.clear()


def _town(county, name: str) -> Region:
    return Region.objects.get(level=Region.Level.TOWN, name=name)


def test_list_filtered_by_town_takes_a_fixed_number_of_queries(
    client_for, county, django_assert_max_num_queries
):
    town = _town(county, county.town_a)
    client = client_for("admin")
    client.get(f"/orgs/?region={town.pk}")  # session and user loaded once
    # session, user, the 镇街 choices, the chosen 镇街, COUNT, one page of rows
    with django_assert_max_num_queries(7):
        response = client.get(f"/orgs/?region={town.pk}")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == Org.objects.filter(town=town.name).count()


def test_detail_takes_a_fixed_number_of_queries(client_for, county, django_assert_num_queries):
    org = Org.objects.filter(town=county.town_a).order_by("pk").first()
    client = client_for("town_a")
    client.get(f"/orgs/{org.pk}/")  # the session's last-seen time written once
    # session, user, its 镇街, the organization, may-change, source rows, pending re-screening,
    # party organizations, instructors, parks, history
    with django_assert_num_queries(11):
        assert client.get(f"/orgs/{org.pk}/").status_code == 200


def test_search_by_name(client_for, county):
    org = Org.objects.filter(town=county.town_a).exclude(name__regex=r"^.{0,7}$").first()
    part = org.name[2:6]
    found = client_for("admin").get(f"/orgs/?q={part}").context["page"].paginator.count
    assert found == Org.objects.filter(name__contains=part).count() >= 1
    hidden = client_for("town_b").get(f"/orgs/?q={part}").context["page"].paginator.count
    assert hidden == Org.objects.filter(name__contains=part, town=county.town_b).count()


def test_a_search_counts_its_matches_up_to_the_limit(client_for, county, monkeypatch):
    monkeypatch.setattr(SearchPaginator, "limit", 60)  # the county is small; 1,000 in use
    common = "有限公司"
    matches = Org.objects.filter(name__contains=common).count()
    assert matches > 60
    response = client_for("admin").get(f"/orgs/?q={common}")
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.count == 60 and paginator.num_pages == 2
    assert "超过 60 条，只列出前 60 条，请缩小搜索范围" in response.content.decode()
    # a narrow search, and the plain list, are counted exactly
    org = Org.objects.filter(name__contains=common).first()
    narrow = client_for("admin").get(f"/orgs/?q={org.name}")
    assert (
        narrow.context["page"].paginator.count
        == Org.objects.filter(name__contains=org.name).count()
    )
    listed = client_for("admin").get("/orgs/").context["page"].paginator
    assert not getattr(listed, "capped", False) and listed.count == Org.objects.count()
    # below the limit a page is ordered from the keys of the matches: the same rows, in order
    monkeypatch.setattr(SearchPaginator, "limit", matches)
    page = client_for("admin").get(f"/orgs/?q={common}&page=2").context["page"]
    assert not page.paginator.capped and page.paginator.count == matches
    ordered = Org.objects.filter(name__contains=common).order_by("name_sort", "pk")
    per = page.paginator.per_page
    assert [o.pk for o in page.object_list] == [o.pk for o in ordered[per : 2 * per]]


def test_dashboard_figures_are_computed_once_per_data_version(
    fresh_cache, client_for, county, users, django_assert_max_num_queries
):
    client = client_for("admin")
    client.get("/")
    # session, user, data version, 待确认 count — no pass over the organizations
    with django_assert_max_num_queries(5) as captured:
        response = client.get("/")
    assert not [q for q in captured.captured_queries if "orgs_org" in q["sql"]]
    expected = county_metrics(Org.objects.all())
    assert response.context["metrics"] == expected

    DataVersion.bump()
    Org.objects.filter(town=county.town_a).update(org_covered=False)
    fresh = client.get("/").context["metrics"]
    assert fresh == county_metrics(Org.objects.all()) != expected


def test_cached_dashboard_figures_stay_within_the_town(fresh_cache, client_for, county, users):
    county_wide = scoped_metrics(users["admin"])
    own = client_for("town_b").get("/").context["metrics"]
    assert [t["town"] for t in own["towns"]] == [county.town_b]
    assert own == county_metrics(Org.objects.restrict(users["town_b"]))
    assert own["total"]["total"] < county_wide["total"]["total"]
    other = client_for("town_a").get("/").context["metrics"]
    assert [t["town"] for t in other["towns"]] == [county.town_a]


def test_totals_are_the_sum_of_the_towns(db, county):
    metrics = county_metrics(Org.objects.all())
    for key in ("total", "excluded", "org_covered", "due_unestablished"):
        assert metrics["total"][key] == sum(t[key] for t in metrics["towns"])
    assert metrics["total"]["total"] == Org.objects.filter(in_scope=True).count()


def test_export_is_streamed_from_a_file(client_for, county):
    response = client_for("town_a").get("/orgs/export.xlsx")
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]]
    assert sorted(names) == sorted(
        Org.objects.filter(town=county.town_a).values_list("name", flat=True)
    )
