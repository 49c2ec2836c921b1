"""台账期次: freezing, comparing two periods (变更说明), trends, scope."""

from __future__ import annotations

import pytest
from web_county import import_files

from liangxin.web.audit.models import AuditLog
from liangxin.web.orgs.models import Org
from liangxin.web.periods.models import Period, PeriodOrg

pytestmark = pytest.mark.django_db


def found_party_org(user, org, folder, *more):
    """Import a new party organization set up in ``org`` (and in each of ``more``)."""
    upload = folder / "新建党组织情况.csv"
    upload.write_text(
        "党组织全称,党组织类别,组建形式,覆盖单位,单位信用代码,正式党员数,书记,成立时间,党组织状态\n"
        + "".join(
            f"中共{o.name}支部委员会,党支部,单独组建,{o.name},{o.credit_code or ''},"
            f"{max(o.formal_members or 0, 3)},王建国,2020-06-20,正常\n"
            for o in (org, *more)
        ),
        encoding="utf-8",
    )
    import_files(user, upload)


def test_freeze_compare_and_trend(client_for, users, county, tmp_path):
    admin = client_for("admin")
    admin.post("/periods/freeze/", {"label": "2020年6月"})
    first = Period.objects.get(label="2020年6月")
    assert PeriodOrg.objects.filter(period=first).count() == Org.objects.count()
    assert (
        first.metrics["total"]["org_covered"]
        == Org.objects.filter(in_scope=True, org_covered=True).count()
    )
    assert AuditLog.objects.filter(object_type="periods.period", object_id=str(first.pk)).exists()

    org = (
        Org.objects.filter(town=county.town_a, in_scope=True, due_unestablished=True)
        .order_by("org_id")
        .first()
    )
    found_party_org(users["admin"], org, tmp_path)
    admin.post("/periods/freeze/", {"label": "2020年7月"})
    second = Period.objects.get(label="2020年7月")
    assert second.metrics["total"]["org_covered"] == first.metrics["total"]["org_covered"] + 1

    page = admin.get("/periods/compare/", {"a": first.pk, "b": second.pk})
    changes = {c["org_id"]: c for c in page.context["changes"]}
    assert set(changes) == {org.org_id}
    assert "新单独建立党组织" in changes[org.org_id]["explanation"]
    assert "应建未建已消除" in changes[org.org_id]["explanation"]

    rows = admin.get("/periods/").context["rows"]
    assert [r["period"].label for r in rows] == ["2020年6月", "2020年7月"]
    assert rows[1]["org_covered"] - rows[0]["org_covered"] == 1

    # a 镇街 user follows its own 镇街 and sees only its own organizations' changes
    other = client_for("town_b")
    page = other.get("/periods/compare/", {"a": first.pk, "b": second.pk})
    assert page.context["town"] == county.town_b
    assert page.context["changes"] == []
    mine = client_for("town_a").get("/periods/compare/", {"a": first.pk, "b": second.pk})
    assert [c["org_id"] for c in mine.context["changes"]] == [org.org_id]


def test_only_county_admins_freeze(client_for):
    client_for("town_a").post("/periods/freeze/", {"label": "镇街自己冻结"})
    assert not Period.objects.filter(label="镇街自己冻结").exists()


def test_progress_projects_the_pace_between_periods(client_for, users, county, tmp_path):
    from django.test import override_settings

    from liangxin.web.closures.models import Closure

    admin = client_for("admin")
    with override_settings(LIANGXIN_AS_OF="2020-06-01"):
        admin.post("/periods/freeze/", {"label": "6月1日"})
    first = Period.objects.get(label="6月1日")
    before = next(r for r in first.closure_kinds if r["task_kind"] == "other_single")
    org = (
        Org.objects.filter(town=county.town_a, in_scope=True, due_unestablished=True)
        .exclude(above_scale=True)
        .order_by("org_id")
        .first()
    )
    found_party_org(users["admin"], org, tmp_path)
    admin.post("/periods/freeze/", {"label": "7月1日"})

    rows = {r["key"]: r for r in admin.get("/periods/progress/").context["deadlines"]}
    row = rows["other_single"]
    done = Closure.objects.filter(task_kind="other_single").exclude(status="open").count()
    total = Closure.objects.filter(task_kind="other_single").count()
    assert (row["done"], row["total"]) == (done, total)
    assert done == before["done"] + 1
    assert row["per_day"] == pytest.approx(1 / 30)
    ahead = (row["deadline"] - row["as_of"]).days  # 7月1日 → 11月30日
    assert row["projected"] == min(total, done + ahead // 30)
    assert (
        row["text"]
        == f"按当前进度，11月30日前其他应建未建单位单独组建党组织预计完成 {row['projected']}/{total}"
    )

    with override_settings(LIANGXIN_POLICY="shunyi-2017"):
        targets = admin.get("/periods/progress/").context["targets"]
    enterprise = next(t for t in targets if t["kind"] == "非公企业")
    covered = Org.objects.filter(kind="enterprise", in_scope=True, org_covered=True).count()
    total = Org.objects.filter(kind="enterprise", in_scope=True).count()
    assert enterprise["target"] == "90%"
    assert enterprise["now"] == f"{100 * covered / total:.1f}%（{covered}/{total}）"
