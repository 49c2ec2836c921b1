"""Match decisions respect scope on both sides, and an organization moving between 镇街 is its
own audit entry that the users of both 镇街 see (docs/security.md “待确认匹配与迁移镇街”)."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from web_county import import_files, misspelt

from liangxin.web.audit.models import AuditLog
from liangxin.web.orgs.models import Org
from liangxin.web.review.actions import do_decide
from liangxin.web.review.models import MatchDecision, ReviewItem

pytestmark = pytest.mark.django_db

SURVEY = "临沭县两新组织摸排汇总表.xlsx"


def test_a_pair_across_towns_is_the_county_admins(client_for, users, county, tmp_path):
    """A town-A survey row that looks like a town-B organization: neither 镇街 user sees or
    decides the pair; the county admin does."""
    other = (
        Org.objects.filter(town=county.town_b, kind="enterprise", credit_code__isnull=False)
        .exclude(name__regex=r"^.{0,7}$")
        .order_by("-org_id")
        .first()
    )
    upload = tmp_path / "跨镇街摸排表.csv"
    upload.write_text(
        "单位名称,所属镇街,从业人员数,正式党员数,经营状况\n"
        f"{misspelt(other.name)},{county.town_a},12,1,正常经营\n",
        encoding="utf-8",
    )
    import_files(users["admin"], upload)
    item = ReviewItem.objects.get(candidate=other, source_ref__contains=upload.name)
    assert item.org.town == county.town_a

    for town_user in ("town_a", "town_b"):
        assert not ReviewItem.objects.restrict(users[town_user]).filter(pk=item.pk).exists()
        client = client_for(town_user)
        assert other.name not in client.get("/review/").content.decode()
        response = client.post(f"/review/{item.pk}/decide/", {"decision": "confirm"})
        assert response.status_code == 404
        with pytest.raises(PermissionDenied):
            do_decide(users[town_user], model_to_dict(item), "confirm")
    assert not MatchDecision.objects.filter(record_key=item.record_key).exists()

    admin = client_for("admin")
    assert other.name in admin.get("/review/").content.decode()
    admin.post(f"/review/{item.pk}/decide/", {"decision": "reject"})
    assert MatchDecision.objects.get(record_key=item.record_key).decided_by == users["admin"]


def test_a_town_user_links_rows_only_within_their_town(users, county):
    """Even with a pair made up by hand, the action checks both organizations."""
    mine = Org.objects.filter(town=county.town_a).order_by("org_id").first()
    theirs = Org.objects.filter(town=county.town_b).order_by("org_id").first()
    pair = {"record_key": "手工|表|1", "source_ref": "手工", "name": mine.name,
            "record_org_id": mine.org_id, "candidate_org_id": theirs.org_id}  # fmt: skip
    with pytest.raises(PermissionDenied):
        do_decide(users["town_a"], pair, "confirm")
    with pytest.raises(PermissionDenied):
        do_decide(users["town_a"], {**pair, "record_org_id": ""}, "confirm")
    with pytest.raises(PermissionDenied):
        do_decide(users["leader"], pair, "confirm")
    assert not MatchDecision.objects.exists()


def _move_in_survey(folder, org, town: str):
    """The survey with ``org``'s row stating another 镇街."""
    path = folder / SURVEY
    book = openpyxl.load_workbook(path)
    for sheet in book:
        rows = list(sheet.iter_rows())
        for i, row in enumerate(rows):
            if any(cell.value == org.credit_code for cell in row):
                labels = [r for r in rows[:i] if any(c.value == "统一社会信用代码" for c in r)]
                column = next(c.column for c in labels[-1] if c.value and "镇街" in str(c.value))
                sheet.cell(row=row[0].row, column=column, value=town)
                book.save(path)
                return
    raise AssertionError(f"{org.name} is in the survey")


def test_moving_between_towns_is_one_entry_both_towns_see(client_for, users, county, tmp_path):
    org = (
        Org.objects.filter(town=county.town_a, sources__town__startswith=SURVEY)
        .exclude(credit_code__isnull=True)
        .order_by("org_id")
        .first()
    )
    shutil.copy(county.folder / SURVEY, tmp_path / SURVEY)
    _move_in_survey(tmp_path, org, county.town_b)
    import_files(users["admin"], tmp_path / SURVEY)
    org.refresh_from_db()
    assert org.town == county.town_b

    move = AuditLog.objects.get(action=AuditLog.Action.MOVE, object_id=str(org.pk))
    assert (move.before, move.after) == ({"town": county.town_a}, {"town": county.town_b})
    assert move.user == users["admin"] and move.object_repr == org.name
    for town_user in ("town_a", "town_b"):
        assert AuditLog.objects.restrict(users[town_user]).filter(pk=move.pk).exists()
        page = client_for(town_user).get("/audit/?action=move").content.decode()
        assert "迁移镇街" in page and org.name in page
        assert f"{county.town_a} → {county.town_b}" in page
    # the field changes stay with the 镇街 that holds the organization now
    update = AuditLog.objects.filter(action=AuditLog.Action.UPDATE, object_id=str(org.pk))
    assert not update.filter(pk__in=AuditLog.objects.restrict(users["town_a"])).exists()
    assert client_for("town_a").get(f"/orgs/{org.pk}/").status_code == 404
