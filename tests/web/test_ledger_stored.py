"""The 台账 download is written from what is stored, not by running the engine again, and is
the very ledger a fresh engine run over the stored rows gives (scoped the same way)."""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from liangxin.engine.build import Writer, write_books
from liangxin.engine.intake import Intake
from liangxin.engine.intake.rows import PROBLEM_SCHEMA, REJECT_SCHEMA
from liangxin.engine.outputs.ledger import NOT_FOUND_SHEET
from liangxin.engine.screen import metrics
from liangxin.web.core.scope import Scope
from liangxin.web.county import inputs
from liangxin.web.county.models import NotFoundRow
from liangxin.web.county.rescreen import screen_county
from liangxin.web.county.run import run_county
from liangxin.web.imports.models import ValueProblem
from liangxin.web.jobs.models import Job
from liangxin.web.jobs.worker import enqueue
from liangxin.web.ledger.workbook import LEDGER
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db


def engine_ledger(user, folder: Path) -> Path:
    """The ledger as the web wrote it before: the engine run afresh on every stored row and
    the result cut to the user's scope."""
    outcome = run_county(
        inputs.stored_rows().frames, inputs.overrides(inputs.decisions_in_effect())
    )
    visible = list(Org.objects.restrict(user).values_list("org_id", flat=True))
    everything = Scope.of(user).everything
    screened, reconciled = outcome.screened, outcome.reconciled
    not_found = reconciled.not_found
    if not everything:
        orgs = screened.orgs.filter(pl.col("org_id").is_in(visible))
        towns = orgs["town"].drop_nulls().unique().to_list()
        subject = pl.col("subject")
        tasks = screened.tasks.filter(
            ((subject == "org") & pl.col("subject_id").is_in(visible))
            | ((subject == "park") & pl.col("town").is_in(towns))
        )
        screened = dataclasses.replace(screened, orgs=orgs, tasks=tasks)
        not_found = not_found.filter(pl.col("org_id").is_in(visible)).with_columns(
            closest=pl.lit("")
        )
    reconciled = dataclasses.replace(
        reconciled,
        review=reconciled.review.filter(
            pl.col("org_id").is_in(visible) & pl.col("candidate_org_id").is_in(visible)
        ),
        not_found=not_found,
    )
    links = outcome.reconciled.links.filter(pl.col("org_id").is_in(visible))
    rows = ValueProblem.objects.filter(file__current=True).values_list(
        "file__name", "sheet", "row", "column", "value", "problem"
    )
    source = ["source_file", "source_sheet", "source_row"]
    problems = (
        pl.DataFrame(list(rows), schema=PROBLEM_SCHEMA, orient="row")
        .join(links.select(source), on=source, how="semi")
        .sort(source)
    )
    intake = Intake({}, pl.DataFrame(schema=REJECT_SCHEMA), problems, [])
    write_books(intake, reconciled, screened, metrics(screened), None, Writer(folder))
    return folder / LEDGER


def downloaded(client, user) -> openpyxl.Workbook:
    task = enqueue("ledger", "生成台账", user)
    response = client.get(f"/ledger/{task.pk}/download/")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def numbered(sheet) -> list[tuple]:
    """The data rows of a sheet (those with a 序号)."""
    return [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]


def cells(book: openpyxl.Workbook) -> dict[str, list[tuple]]:
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


@pytest.mark.parametrize("username", ["admin", "town_a", "dept"])
def test_the_stored_ledger_is_the_engines_ledger(client_for, users, username, tmp_path):
    stored = cells(downloaded(client_for(username), users[username]))
    book = openpyxl.load_workbook(engine_ledger(users[username], tmp_path))
    expected = cells(book)
    assert list(stored) == list(expected)
    for sheet, rows in expected.items():
        assert stored[sheet] == rows, sheet
    if username == "admin":  # the comparison covers every kind of sheet
        filled = {sheet.title for sheet in book.worksheets if numbered(sheet)}
        sheets = {"非公企业台账", "社会组织台账", "应建未建销号清单", "数据问题", "待人工确认"}
        assert sheets | {NOT_FOUND_SHEET} <= filled


def test_the_ledger_job_runs_no_engine(client_for, users, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the ledger ran the engine")

    monkeypatch.setattr("liangxin.engine.pipeline.reconcile", refuse)
    monkeypatch.setattr("liangxin.engine.pipeline.screen", refuse)
    task = enqueue("ledger", "生成台账", users["admin"])
    task.refresh_from_db()
    assert task.status == Job.Status.DONE, task.error
    assert task.result["orgs"] == Org.objects.count()


def test_a_town_ledger_holds_its_own_town_only(client_for, users, county):
    book = downloaded(client_for("town_a"), users["town_a"])
    towns = {row[1] for row in numbered(book["非公企业台账"])}
    assert towns == {county.town_a}
    not_found = numbered(book[NOT_FOUND_SHEET])
    assert {row[5] for row in not_found} == {county.town_a}
    assert all(row[6] in (None, "") for row in not_found)  # no other town's names


def test_the_rows_found_in_no_register_are_stored_by_commit_and_full_rescreen(users):
    outcome = run_county(
        inputs.stored_rows().frames, inputs.overrides(inputs.decisions_in_effect())
    )
    expected = outcome.reconciled.not_found
    assert expected.height

    def stored() -> list[tuple]:
        return list(
            NotFoundRow.objects.order_by("pk").values_list(
                "source_file", "source_row", "record_org_id", "name", "closest"
            )
        )

    as_engine = list(
        expected.select("source_file", "source_row", "org_id", "name", "closest").iter_rows()
    )
    assert stored() == as_engine  # by the commit
    NotFoundRow.objects.all().delete()
    screen_county().write(users["admin"], "重新筛查", {"type": "test"})
    assert stored() == as_engine
    assert all(row.org.org_id == row.record_org_id for row in NotFoundRow.objects.all())


def test_the_dashboard_shows_the_rows_found_in_no_register_per_town(client_for, county):
    per_town = Counter(NotFoundRow.objects.values_list("town", flat=True))
    assert per_town[county.town_a]
    for username, towns in (("admin", set(per_town)), ("town_a", {county.town_a})):
        response = client_for(username).get("/")
        assert response.context["not_found"] == {t: per_town[t] for t in towns}
        page = response.content.decode()
        cell = f'<td data-metric="not_found">{per_town[county.town_a]}</td>'
        assert re.search(f'data-town="{county.town_a}">(?:(?!</tr>).)*{cell}', page, re.S)
        total = f'<span data-metric="not_found">{sum(per_town[t] for t in towns)}</span>'
        assert total in page
    assert client_for("town_b").get("/").context["not_found"] == (
        {county.town_b: per_town[county.town_b]} if per_town[county.town_b] else {}
    )
