"""The import flow in a real browser (Debian's chromium, headless), against a live server
with the worker thread: upload, preview, commit, dashboard = engine metrics, confirm a
doubtful match, filter, edit, audit. Screenshots of the main pages go to tmp/screenshots/."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from web_county import make_user

from liangxin.engine.build import build
from liangxin.engine.policies import load_policy

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "tmp" / "screenshots"
LONG = 180_000  # ms: an upper bound for the background work on a busy machine, not a check

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_page(live_server, fresh_county, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test makes
    # between browser steps are plain synchronous calls all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(30_000)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.requested = requested
        yield page
        # ORM calls made while Playwright runs get their own connection (another context);
        # close it here, or the test database cannot be dropped at the end.
        connections.close_all()
        browser.close()


@pytest.fixture
def fresh_county(county_files, county, tmp_path):
    """An empty system with one county admin, and the files to upload."""
    call_command("flush", interactive=False, verbosity=0)
    make_user("admin", role="county_admin")
    files = tmp_path / "upload"
    shutil.copytree(county_files, files)
    shutil.copy(county.extra, files)
    return files


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def wait_for_status(page, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('#batch-status')?.textContent.trim() === t",
        arg=text,
        timeout=LONG,
    )


def fractions(text: str) -> tuple[int, int]:
    numerator, denominator = re.match(r"\s*(\d+)/(\d+)", text).groups()
    return int(numerator), int(denominator)


@override_settings(LIANGXIN_JOBS="thread")
def test_import_confirm_edit_and_audit_in_the_browser(
    live_server, browser_page, fresh_county, tmp_path
):
    from liangxin.web.jobs.worker import stop_thread

    page, url = browser_page, live_server.url
    try:
        _flow(page, url, fresh_county, tmp_path)
    finally:
        stop_thread()
    hosts = {urlparse(u).hostname for u in page.requested if not u.startswith("data:")}
    assert hosts <= {"127.0.0.1", "localhost"}, f"requests left the machine: {hosts}"


def _flow(page, url: str, files: Path, tmp_path: Path) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw-admin")
    page.click("form button")
    page.wait_for_url(f"{url}/")

    # upload every file at once; the progress bar polls until the preview is ready
    page.goto(f"{url}/imports/new/")
    page.set_input_files("#id_files", sorted(str(p) for p in files.iterdir() if p.is_file()))
    page.click("form button.btn-primary")
    page.wait_for_selector(".job-progress")
    wait_for_status(page, "待提交")
    assert page.locator("#counts tr[data-model=org] td").first.inner_text() != "0"
    assert page.locator(".review-item").count() == 2
    shot(page, "import-preview")
    page.click("#commit")
    wait_for_status(page, "已提交")

    # the dashboard shows what `liangxin build` computes from the same files
    expected = build(files, tmp_path / "out", load_policy("linyi-2020"), date(2020, 7, 1)).metrics
    page.goto(f"{url}/")
    total = expected["total"]["all"]
    for key in ("total", "org_covered", "work_covered", "due_unestablished"):
        assert page.locator(f'#totals [data-metric="{key}"]').inner_text() == str(total[key])
    for row in page.locator("#town-table tr[data-town]").all():
        town = expected["towns"][row.get_attribute("data-town")]["all"]
        org = fractions(row.locator('[data-metric="org"]').inner_text())
        work = fractions(row.locator('[data-metric="work"]').inner_text())
        assert org == (town["org_covered"], town["total"])
        assert work == (town["work_covered"], town["total"])
    page.wait_for_selector("#coverage-chart canvas")
    shot(page, "dashboard")

    # confirm a doubtful match in the queue; the row joins the candidate organization
    page.goto(f"{url}/review/")
    shot(page, "review-queue")
    candidate = page.locator(".review-item").first.locator("td").nth(1).inner_text()
    page.locator(".review-item").first.locator("button[value=confirm]").click()
    page.wait_for_selector(".alert-success")
    page.wait_for_function(
        "() => document.querySelectorAll('.review-item').length === 1", timeout=LONG
    )

    # filter the list: enterprises that must set up a party organization and have not
    page.goto(f"{url}/orgs/")
    page.select_option("#id_kind", "enterprise")
    page.check("input[name=flags][value=due_unestablished]")
    page.click(".filter-form button.btn-primary")
    # the form submits by navigation: read the count from the filtered page, not the old one
    page.wait_for_url(re.compile(r"flags=due_unestablished"))
    listed = int(re.search(r"共 (\d+) 条", page.locator("h1").inner_text()).group(1))
    from liangxin.web.orgs.models import Org

    assert listed == Org.objects.filter(kind="enterprise", due_unestablished=True).count()
    shot(page, "orgs")

    # edit an organization's party members: its flags and the dashboard follow
    org = (
        Org.objects.filter(
            kind="enterprise", in_scope=True, org_covered=False, single_required=False,
            employees__gte=5, employees__lt=100,
        )
        .exclude(formal_members__gte=3)
        .exclude(name=candidate)
        .order_by("org_id")
        .first()
    )  # fmt: skip
    due_before = int(
        page.goto(f"{url}/")
        and page.locator('#totals [data-metric="due_unestablished"]').inner_text()
    )
    page.goto(f"{url}/orgs/{org.pk}/edit/")
    page.fill("#id_survey_formal_members", "3")
    page.click("form button.btn-primary")
    page.wait_for_selector('#flags tr[data-flag="应建未建"].flag-on', timeout=LONG)
    assert "网页修改" in page.content()
    shot(page, "org-detail")
    page.goto(f"{url}/")
    assert (
        int(page.locator('#totals [data-metric="due_unestablished"]').inner_text())
        == due_before + 1
    )

    # …and the change is in the audit log
    page.goto(f"{url}/audit/?object_type=orgs.org&q={org.name}")
    assert "摸排正式党员数：0 → 3" in page.content() or "摸排正式党员数：— → 3" in page.content()
    shot(page, "audit")

    _campaign(page, url)


def _campaign(page, url: str) -> None:
    """销号 tasks, a ledger period, its bulletin, and the instructor planner (docs/rules.md §R5.5–§R5.6)."""
    from liangxin.web.closures.models import Closure
    from liangxin.web.regions.models import Region

    page.goto(f"{url}/closures/")
    overdue = Closure.objects.overdue(date(2020, 7, 1)).count()
    assert page.locator("#overdue-total").inner_text() == str(overdue)
    assert page.locator("#town-counts tbody tr").count() >= 2
    shot(page, "closures")

    page.goto(f"{url}/periods/")
    page.fill("input[name=label]", "2020年7月")
    page.click("form[action$='/periods/freeze/'] button")
    page.wait_for_selector(".alert-success")
    page.click("#trend a")
    page.wait_for_selector("#ranking")
    towns = Region.objects.filter(level=Region.Level.TOWN).count()
    assert page.locator("#ranking tr").count() == towns + 1
    page.wait_for_function("() => document.querySelector('img[alt]')?.naturalWidth > 0")
    shot(page, "bulletin-preview")

    page.goto(f"{url}/assign/")
    page.wait_for_selector("#plan-summary")
    assert "需选派指导员的单位" in page.locator("#plan-summary").inner_text()
    shot(page, "dispatch-plan")

    page.goto(f"{url}/map/")
    page.wait_for_selector("#map circle")
    shot(page, "map")
