"""Locust users for ``web_load.py`` (not run by hand: the config comes from the environment).

- ``LIANGXIN_BENCH_CONFIG``: the JSON written by ``_web_setup.py`` (logins, targets).
- ``LIANGXIN_BENCH_SCENARIO``: ``pages`` (the four city-scale pages, county admin and 镇街 user)
  or ``mix`` (a working day's mix of pages, with the 审计员 too).
- ``LIANGXIN_BENCH_WAIT``: ``MIN,MAX`` seconds each simulated user waits between requests.

Every simulated user logs in as a browser does: GET the login page (which sets the csrftoken
cookie), POST the form with the page's csrfmiddlewaretoken, then follows the redirect to 首页.
A response that is not 200, or a page that is the login form again, counts as a failure.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from locust import FastHttpUser, between

CONFIG = json.loads(Path(os.environ["LIANGXIN_BENCH_CONFIG"]).read_text(encoding="utf-8"))
SCENARIO = os.environ.get("LIANGXIN_BENCH_SCENARIO", "pages")
WAIT = tuple(float(x) for x in os.environ.get("LIANGXIN_BENCH_WAIT", "0.5,2").split(","))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session(FastHttpUser):
    abstract = True
    login_key = ""
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        login = CONFIG["logins"][self.login_key]
        with self.client.get("/login/", name="登录页", catch_response=True) as page:
            token = TOKEN.search(page.text or "")
            if page.status_code != 200 or token is None:
                page.failure("登录页没有 csrfmiddlewaretoken")
                return
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "username": login["username"],
            "password": login["password"],
            "next": "/",
        }
        with self.client.post(
            "/login/",
            data=form,
            headers={"Referer": f"{self.host}/login/"},
            name="登录",
            catch_response=True,
        ) as done:
            if done.status_code != 200 or "/login/" in (done.url or ""):
                done.failure(f"登录失败：{done.status_code} {done.url}")

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/login/" in (response.url or ""):
                response.failure("会话失效，回到了登录页")

    def town_pk(self) -> int:
        return CONFIG["town"]["pk"]

    def org_pks(self) -> list[int]:
        return CONFIG["county_orgs"]

    def party_org_pks(self) -> list[int]:
        return CONFIG["party_orgs"]


def town_list(user: Session) -> None:
    user.page(f"/orgs/?region={user.town_pk()}", "组织列表（按镇街）")


def org_detail(user: Session) -> None:
    user.page(f"/orgs/{random.choice(user.org_pks())}/", "组织详情")


def search(user: Session) -> None:
    user.page(f"/orgs/?q={random.choice(CONFIG['search'])}", "按名称搜索")


def dashboard(user: Session) -> None:
    user.page("/", "首页")


def list_page_n(user: Session) -> None:
    user.page(f"/orgs/?region={user.town_pk()}&page={random.randint(2, 20)}", "组织列表翻页")


def list_flags(user: Session) -> None:
    user.page("/orgs/?in_scope=1&flags=due_unestablished&sort=-employees", "组织列表（标志）")


def party_orgs(user: Session) -> None:
    user.page("/partyorgs/", "党组织列表")


def party_org(user: Session) -> None:
    user.page(f"/partyorgs/{random.choice(user.party_org_pks())}/", "党组织详情")


def closures(user: Session) -> None:
    user.page("/closures/", "销号任务")


def audit(user: Session) -> None:
    user.page("/audit/", "审计日志")


def audit_page(user: Session) -> None:
    user.page(f"/audit/?page={random.randint(2, 10)}", "审计日志翻页")


# ``pages``: the four city-scale pages. ``mix``: besides them, the other pages people use every day.
PAGES = {town_list: 3, org_detail: 3, search: 2, dashboard: 2}
MIX = {**PAGES, list_page_n: 1, list_flags: 1, party_orgs: 1, party_org: 1, closures: 1}


class CountyAdmin(Session):
    login_key = "admin"
    weight = 1
    tasks = MIX if SCENARIO == "mix" else PAGES

    def town_pk(self) -> int:
        return random.choice(CONFIG["towns"])


class TownUser(Session):
    login_key = "town"
    weight = 2
    tasks = MIX if SCENARIO == "mix" else PAGES

    def org_pks(self) -> list[int]:
        return CONFIG["town_orgs"]

    def party_org_pks(self) -> list[int]:
        return CONFIG["town_party_orgs"]


if SCENARIO == "mix":

    class Auditor(Session):
        login_key = "auditor"
        weight = 1
        tasks = {audit: 1, audit_page: 1}
