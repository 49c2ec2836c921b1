"""Every page answers 404 (or shows no rows, no counts) for another 镇街's data: each case is
requested by the owner's 镇街 user (200) and by the other 镇街's user (404)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from liangxin.web.imports.models import ImportBatch
from liangxin.web.instructors.models import Instructor
from liangxin.web.jobs.worker import enqueue
from liangxin.web.ledger.workbook import LEDGER
from liangxin.web.orgs.models import Org
from liangxin.web.parks.models import Park
from liangxin.web.partyorgs.models import PartyOrg
from liangxin.web.review.models import MatchDecision, ReviewItem
from liangxin.web.sources.models import SourceRecord

pytestmark = pytest.mark.django_db


def only_in(model, users, owner="town_a", other="town_b"):
    mine = model.objects.restrict(users[owner])
    theirs = model.objects.restrict(users[other]).values("pk")
    obj = mine.exclude(pk__in=theirs).order_by("pk").first()
    assert obj is not None, f"the test county has a {model.__name__} of {owner} only"
    return obj


OBJECT_PAGES = [
    (Org, "/orgs/{pk}/"),
    (Org, "/orgs/{pk}/edit/"),
    (PartyOrg, "/partyorgs/{pk}/"),
    (PartyOrg, "/partyorgs/{pk}/edit/"),
    (Instructor, "/instructors/{pk}/"),
    (Park, "/parks/{pk}/"),
    (SourceRecord, "/sources/{pk}/"),
]


@pytest.mark.parametrize(("model", "url"), OBJECT_PAGES)
def test_object_pages_are_404_for_another_town(client_for, users, model, url):
    page = url.format(pk=only_in(model, users).pk)
    assert client_for("town_a").get(page).status_code == 200
    assert client_for("town_b").get(page).status_code == 404


def test_editing_another_towns_org_is_404_and_changes_nothing(client_for, users):
    org = only_in(Org, users)
    response = client_for("town_b").post(f"/orgs/{org.pk}/edit/", {"employees": 999})
    assert response.status_code == 404
    org.refresh_from_db()
    assert org.employees != 999 and not org.facts.exists()


def test_deciding_another_towns_doubtful_match_is_404(client_for, users):
    item = only_in(ReviewItem, users)
    response = client_for("town_b").post(f"/review/{item.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == 404
    assert ReviewItem.objects.filter(pk=item.pk).exists()
    assert not MatchDecision.objects.exists()


def test_read_only_roles_cannot_edit_even_in_scope(client_for, users):
    org = Org.objects.restrict(users["leader"]).first()
    assert client_for("leader").get(f"/orgs/{org.pk}/").status_code == 200
    assert client_for("leader").get(f"/orgs/{org.pk}/edit/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/imports/new/",
        "/imports/{pk}/",
        "/imports/{pk}/changes/org/?action=new",
        "/imports/{pk}/rejects.csv",
    ],
)
def test_import_pages_are_404_for_town_users(client_for, url):
    batch = ImportBatch.objects.order_by("pk").first()
    page = url.format(pk=batch.pk)
    assert client_for("admin").get(page).status_code == 200
    assert client_for("town_b").get(page).status_code == 404


@pytest.mark.parametrize("action", ["commit", "reanalyse", "discard"])
def test_import_actions_are_404_for_town_users(client_for, action):
    batch = ImportBatch.objects.order_by("pk").first()
    response = client_for("town_b").post(f"/imports/{batch.pk}/{action}/")
    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED


def test_task_progress_and_ledger_download_are_404_for_other_users(client_for, users):
    task = enqueue("ledger", "生成台账", users["town_a"])
    assert client_for("town_a").get(f"/jobs/{task.pk}/progress/").status_code == 200
    assert client_for("town_a").get(f"/ledger/{task.pk}/download/").status_code == 200
    assert client_for("town_b").get(f"/jobs/{task.pk}/progress/").status_code == 404
    assert client_for("town_b").get(f"/ledger/{task.pk}/download/").status_code == 404


def test_ledger_holds_only_the_own_towns_organizations(client_for, users, county):
    task = enqueue("ledger", "生成台账", users["town_b"])
    response = client_for("town_b").get(f"/ledger/{task.pk}/download/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert response["Content-Disposition"].endswith(f"filename*=utf-8''{_quoted(LEDGER)}")
    names = _column_values(book["非公企业台账"], "企业名称")
    own = set(Org.objects.filter(town=county.town_b).values_list("name", flat=True))
    assert names and set(names) <= own


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _column_values(sheet, header: str) -> list[str]:
    rows = list(sheet.iter_rows(values_only=True))
    for index, row in enumerate(rows[:6]):
        if header in row:
            column = row.index(header)
            return [r[column] for r in rows[index + 1 :] if r[column]]
    raise AssertionError(f"no column {header}")


@pytest.mark.parametrize("url", ["/orgs/", "/partyorgs/", "/instructors/", "/parks/", "/review/"])
def test_lists_show_no_rows_of_another_town(client_for, users, url):
    model = {
        "/orgs/": Org,
        "/partyorgs/": PartyOrg,
        "/instructors/": Instructor,
        "/parks/": Park,
        "/review/": ReviewItem,
    }[url]
    obj = only_in(model, users)
    search = f"{url}?q={obj.name}"
    row = f'data-pk="{obj.pk}"' if model is ReviewItem else f'href="{url}{obj.pk}/"'
    assert row in client_for("town_a").get(search).content.decode()
    assert row not in client_for("town_b").get(search).content.decode()
    assert row not in client_for("town_b").get(url).content.decode()


def test_search_by_credit_code_finds_nothing_of_another_town(client_for, users):
    org = Org.objects.restrict(users["town_a"]).exclude(credit_code=None).first()
    search = f"/orgs/?q={org.credit_code.lower()}"
    row = f'href="/orgs/{org.pk}/"'
    assert row in client_for("town_a").get(search).content.decode()
    assert row not in client_for("town_b").get(search).content.decode()


def test_dashboard_counts_only_the_own_town(client_for, county):
    page = client_for("town_b").get("/").content.decode()
    assert f'data-town="{county.town_a}"' not in page
    in_scope = Org.objects.filter(town=county.town_b, in_scope=True).count()
    assert f'data-metric="total">{in_scope}<' in page


def test_export_holds_only_the_own_town(client_for, county):
    response = client_for("town_b").get("/orgs/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    towns = set(_column_values(sheet, "镇街"))
    assert towns == {county.town_b}
    assert len(_column_values(sheet, "名称")) == Org.objects.filter(town=county.town_b).count()


def test_audit_page_shows_no_entries_about_another_town(client_for, users):
    org = only_in(Org, users)
    search = f"/audit/?q={org.name}"
    row = f">{org.name}</td>"
    assert row in client_for("town_a").get(search).content.decode()
    assert row not in client_for("town_b").get(search).content.decode()
