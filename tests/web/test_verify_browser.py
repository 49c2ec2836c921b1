"""核实任务 on a phone (375×812, Debian's chromium): a 镇街 user opens the task list, confirms
one task and corrects another; screenshots go to tmp/screenshots/verify/."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from web_county import import_files, make_user

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(__file__).resolve().parents[2] / "tmp" / "screenshots" / "verify"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def phone(live_server, county_files, county, monkeypatch):
    """The test county imported afresh (transactional tests empty the database after them),
    its tasks generated, and a phone-sized page logged in as a 镇街 user."""
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from liangxin.web.regions.models import Region
    from liangxin.web.verify.actions import do_generate

    call_command("flush", interactive=False, verbosity=0)
    admin = make_user("admin", role="county_admin")
    import_files(admin, county_files, county.extra)
    make_user("town_a", role="town", region=Region.objects.get(name=county.town_a))
    assert do_generate(admin, "十二月核实", datetime.date(2030, 1, 31)) > 2
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 812}, locale="zh-CN")
        page.set_default_timeout(30_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "town_a")
        page.fill("#id_password", "pw-town_a")
        page.click("form button")
        page.wait_for_url(f"{live_server.url}/")
        yield page, live_server.url
        connections.close_all()
        browser.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fits(page) -> bool:
    """Nothing makes the page wider than the phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_town_user_confirms_and_corrects_on_a_phone(phone):
    from liangxin.web.audit.models import AuditLog
    from liangxin.web.verify.models import VerificationTask

    page, url = phone
    page.goto(f"{url}/verify/")
    items = page.locator("#verify-list a")
    assert items.count() > 1
    assert fits(page)
    shot(page, "list")

    first_name = items.nth(0).locator("strong").inner_text()
    items.nth(0).click()
    page.wait_for_selector("#verify-card")
    assert fits(page)
    shot(page, "card")
    page.click("button[value=confirmed]")
    page.wait_for_url(f"{url}/verify/")
    confirmed = VerificationTask.objects.get(org__name=first_name)
    assert (confirmed.status, confirmed.answer) == ("done", "confirmed")

    page.locator("#verify-list a").nth(0).click()
    page.wait_for_selector("#verify-card")
    fact = page.locator("[data-fact=employees]")
    fact.locator("summary").click()
    fact.locator("input").fill("61")
    shot(page, "correcting")
    page.click("button[value=corrected]")
    page.wait_for_url(f"{url}/verify/")
    corrected = VerificationTask.objects.get(answer="corrected")
    assert corrected.answer_facts == {"employees": 61}
    assert corrected.org.employees == 61
    assert AuditLog.objects.filter(object_id=str(corrected.org.pk), note="修改摸排信息").exists()
    page.goto(f"{url}/verify/?show=done")
    assert page.locator("#verify-list a").count() == 2
    shot(page, "done")
