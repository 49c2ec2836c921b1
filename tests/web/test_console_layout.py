"""The console fits the screen: screenshots of the main pages at 1366×768 and 1920×1080 in
Debian's chromium (saved to tmp/screenshots/console/), with no menu label, detail label or
类别/镇街 cell wrapping onto a second line; at phone width the menu folds under a toggle."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from web_county import import_files, make_user

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(__file__).resolve().parents[2] / "tmp" / "screenshots" / "console"
VIEWPORTS = [(1366, 768), (1920, 1080)]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

# The texts under ``selector`` whose text spreads over more than one line box.
WRAPPED = """selector => [...document.querySelectorAll(selector)].filter(el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return el.textContent.trim() && tops.size > 1;
}).map(el => el.textContent.trim())"""

# The cells of the columns headed 类别 or 镇街 in every table of the page.
SHORT_CELLS = """() => [...document.querySelectorAll("table")].flatMap(table => {
  const heads = [...table.querySelectorAll("thead th")].map(th => th.textContent.trim());
  const columns = heads.flatMap((h, i) => /^(类别|镇街|负责镇街)/.test(h) ? [i] : []);
  return [...table.querySelectorAll("tbody tr")].flatMap(row =>
    columns.map(i => row.children[i]).filter(Boolean));
}).filter(cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
}).map(cell => cell.textContent.trim())"""


@pytest.fixture
def county_in_browser(live_server, county_files, county, monkeypatch):
    """The test county imported afresh (transactional tests empty the database after them)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    call_command("flush", interactive=False, verbosity=0)
    admin = make_user("admin", role="county_admin")
    import_files(admin, county_files, county.extra)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser, live_server.url
        connections.close_all()
        browser.close()


def login(page, url: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw-admin")
    page.click("form button")
    page.wait_for_url(f"{url}/")


def test_console_pages_fit_both_screens(county_in_browser):
    from liangxin.web.orgs.models import Org

    browser, url = county_in_browser
    # one whose instructor is assigned: the detail shows the obligation as met (已选派)
    org = Org.objects.filter(instructor_required=True, work_covered=True).order_by("pk").first()
    pages = {
        "home": "/",
        "list": "/orgs/",
        "detail": f"/orgs/{org.pk}/",
        "closures": "/closures/",
        "map": "/map/",
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in VIEWPORTS:
        page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
        login(page, url)
        for name, path in pages.items():
            page.goto(f"{url}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"))
            assert page.locator("#side-menu").is_visible()
            assert not page.locator("#side-menu .account-link").first.is_visible()
            labels = page.locator("#side-menu .menu-link, #side-menu .menu-group")
            assert labels.count() >= 15
            assert page.evaluate(WRAPPED, "#side-menu .menu-link, #side-menu .menu-group") == []
            # one line: every menu link is as tall as the first (one line box plus padding)
            heights = {round(box["height"]) for box in _boxes(page, "#side-menu .menu-link")}
            assert len(heights) == 1, (name, width, heights)
            assert page.evaluate(WRAPPED, ".topbar a, .topbar button, .topbar span") == []
            assert page.evaluate(WRAPPED, ".value-table th, table th") == [], (name, width)
            assert page.evaluate(SHORT_CELLS) == [], (name, width)
            # the page itself never needs a horizontal scroll bar
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.close()


def test_every_menu_page_fits_the_smaller_screen(county_in_browser):
    from django.test import Client

    from liangxin.web.accounts.models import User
    from liangxin.web.core.menu import menu_for

    browser, url = county_in_browser
    SHOTS.mkdir(parents=True, exist_ok=True)
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    client.post("/periods/freeze/", {"label": "2020年6月"})  # a period to show
    links = [link for _, group in menu_for(User.objects.get(username="admin")) for link in group]
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    login(page, url)
    for number, link in enumerate(links, 1):
        page.goto(f"{url}{link.url}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SHOTS / f"menu-{number:02d}-1366x768.png"))
        assert page.evaluate(WRAPPED, "#side-menu .menu-link, table th") == [], link.label
        assert page.evaluate(SHORT_CELLS) == [], link.label
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, link.label


def test_the_menu_folds_under_a_toggle_at_phone_width(county_in_browser):
    browser, url = county_in_browser
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    login(page, url)
    page.goto(f"{url}/orgs/")
    assert not page.locator("#side-menu").is_visible()
    page.click(".menu-toggle")
    assert page.locator("#side-menu").is_visible()
    assert page.evaluate(WRAPPED, "#side-menu .menu-link") == []
    # the top bar's account links move into the menu
    assert not page.locator(".topbar a[href='/account/password/']").is_visible()
    assert page.locator("#side-menu a[href='/account/password/']").is_visible()
    page.screenshot(path=str(SHOTS / "list-phone-open.png"))
    page.click("#side-menu a[href='/closures/']")
    page.wait_for_url(f"{url}/closures/")
    assert not page.locator("#side-menu").is_visible()


def _boxes(page, selector: str) -> list[dict]:
    return [el.bounding_box() for el in page.locator(selector).all()]
