"""通报: the .docx opens in LibreOffice and converts to PDF; its ranking table, read back,
matches the metrics; a 镇街 user previews it with its own row highlighted and cannot export."""

from __future__ import annotations

import io
import shutil

import docx
import pytest
from test_periods import found_party_org
from web_county import make_user

from liangxin.engine.outputs.bulletin import PROGRESS_HEADERS, RANKING_HEADERS
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.scope import Role
from liangxin.web.dashboard.metrics import county_metrics
from liangxin.web.orgs.models import Org
from liangxin.web.periods.models import Period

pytestmark = pytest.mark.django_db


def expected_ranks(rates: dict[str, float]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) by rate, highest first."""
    return {t: 1 + sum(other > r for other in rates.values()) for t, r in rates.items()}


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def periods(client_for, users, county, tmp_path):
    admin = client_for("admin")
    admin.post("/periods/freeze/", {"label": "2020年6月"})
    org = (
        Org.objects.filter(town=county.town_a, in_scope=True, due_unestablished=True)
        .order_by("org_id")
        .first()
    )
    found_party_org(users["admin"], org, tmp_path)
    admin.post("/periods/freeze/", {"label": "2020年7月"})
    return Period.objects.get(label="2020年6月"), Period.objects.get(label="2020年7月"), org


def test_docx_ranking_matches_metrics_and_converts_to_pdf(client_for, periods, tmp_path):
    first, second, org = periods
    admin = client_for("admin")
    response = admin.get(f"/bulletins/{second.pk}/bulletin.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "两新工委〔2020〕" in text and "2020年7月" in text and "与2020年6月相比" in text

    ranking = table_rows(document.tables[0])
    assert tuple(ranking[0]) == RANKING_HEADERS
    metrics = {t["town"]: t for t in county_metrics(Org.objects.all())["towns"]}
    assert {row[0] for row in ranking[1:]} == set(metrics)
    org_ranks = expected_ranks(
        {t: m["org_covered"] / m["total"] for t, m in metrics.items() if m["total"]}
    )
    work_ranks = expected_ranks(
        {t: m["work_covered"] / m["total"] for t, m in metrics.items() if m["total"]}
    )
    for town, total, org_n, org_rate, org_rank, work_n, work_rate, work_rank in ranking[1:]:
        m = metrics[town]
        assert (int(total), int(org_n), int(work_n)) == (
            m["total"], m["org_covered"], m["work_covered"],
        )  # fmt: skip
        assert org_rate == f"{100 * m['org_covered'] / m['total']:.1f}%"
        assert work_rate == f"{100 * m['work_covered'] / m['total']:.1f}%"
        assert (int(org_rank), int(work_rank)) == (org_ranks[town], work_ranks[town])
    assert [int(r[4]) for r in ranking[1:]] == sorted(int(r[4]) for r in ranking[1:])

    progress = table_rows(document.tables[1])
    assert tuple(progress[0]) == PROGRESS_HEADERS
    by_town = {row[0]: row for row in progress[1:]}
    assert int(by_town[org.town][3]) >= 1  # the task the new party organization closed
    newly = table_rows(document.tables[-1])
    assert any(row[1] == org.name for row in newly[1:])
    assert len(document.inline_shapes) == 1  # the chart

    if shutil.which("libreoffice") or shutil.which("soffice"):
        pdf = admin.get(f"/bulletins/{second.pk}/bulletin.pdf")
        assert pdf.status_code == 200
        content = b"".join(pdf.streaming_content)
        assert content.startswith(b"%PDF") and len(content) > 10_000
    assert AuditLog.objects.filter(
        object_type="periods.period", object_id=str(second.pk), action="download"
    ).exists()


def test_town_user_previews_with_own_row_highlighted_and_cannot_export(client_for, periods, county):
    _, second, _ = periods
    client = client_for("town_b")
    page = client.get(f"/bulletins/{second.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<tr class="table-warning fw-bold"><td>{county.town_b}</td>' in html
    assert f'<tr class="table-warning fw-bold"><td>{county.town_a}</td>' not in html
    assert all(row[0] == county.town_b for row in page.context["overdue"])
    assert client.get(f"/bulletins/{second.pk}/bulletin.docx").status_code == 404
    assert client.get(f"/bulletins/{second.pk}/chart.png")["Content-Type"] == "image/png"


@pytest.mark.parametrize("username", ["dept_overdue", "guide"])
def test_department_and_instructor_bulletins_name_only_their_organizations(
    client_for, users, periods, username
):
    """The county's figures and the 镇街 ranking for everyone; the overdue tasks and the newly
    covered organizations only of the reader's own organizations (docs/security.md)."""
    _, second, org = periods
    if username == "dept_overdue":  # the department of an industry with overdue tasks
        late = Org.objects.get(pk=next(row["org"] for row in second.overdue if row["org"]))
        users[username] = make_user(username, role=Role.DEPARTMENT, dept_industries=[late.industry])
    mine = Org.objects.restrict(users[username])
    expected = [
        (row["town"], row["name"], row["task"], row["deadline"])
        for row in second.overdue
        if mine.filter(pk=row["org"]).exists()
    ]
    page = client_for(username).get(f"/bulletins/{second.pk}/")
    assert page.status_code == 200
    assert page.context["overdue"] == expected
    assert 0 < len(expected) < len(second.overdue), "own tasks and other orgs' tasks"
    names = set(mine.values_list("name", flat=True))
    assert {name for _, name, _ in page.context["newly"]} <= names
    county_page = client_for("admin").get(f"/bulletins/{second.pk}/")
    assert org.name in {name for _, name, _ in county_page.context["newly"]}
    html = page.content.decode()
    assert f"纳入统计的两新组织{second.metrics['total']['total']}家" in html
    assert len(page.context["ranking"]) == len(second.metrics["towns"])
    assert client_for(username).get(f"/bulletins/{second.pk}/bulletin.docx").status_code == 404


def test_periods_frozen_before_name_their_overdue_organizations_after_migration(periods):
    """``periods 0002`` finds the organization of each overdue row of an older period."""
    from importlib import import_module

    from django.apps import apps

    _, second, _ = periods
    named = [row for row in second.overdue if row["org"] is not None]
    assert named
    Period.objects.filter(pk=second.pk).update(
        overdue=[{k: v for k, v in row.items() if k != "org"} for row in second.overdue]
    )
    import_module("liangxin.web.periods.migrations.0002_overdue_org").name_the_organizations(
        apps, None
    )
    second.refresh_from_db()
    assert [row for row in second.overdue if row["org"] is not None] == named
