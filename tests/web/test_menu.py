"""The left menu: every role sees only what it may open, and every link it sees opens."""

from __future__ import annotations

import re

import pytest

from liangxin.web.accounts.actions import do_save_user
from liangxin.web.core.menu import menu_for
from liangxin.web.core.scope import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_role(users):
    """One user per role: the session's users and a 安全管理员 and a 审计员."""
    extra = {
        "anquan": do_save_user(None, "anquan", "Anquan-Admin9", "安全", role=Role.SECURITY_ADMIN),
        "shenji": do_save_user(None, "shenji", "Shenji-Audit9", "审计", role=Role.AUDITOR),
    }
    people = {**users, **extra}
    assert {u.role for u in people.values()} == set(Role)
    return people


def side_menu(page: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav id="side-menu".*?</nav>', page, re.S).group(0)
    return re.findall(r'<a class="menu-link[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', nav)


def test_every_menu_link_opens_for_every_role_that_sees_it(client, every_role):
    for username, user in every_role.items():
        client.force_login(user)
        response = client.get("/", follow=True)
        assert response.status_code == 200, username
        shown = side_menu(response.content.decode())
        declared = [(link.url, link.label) for _, links in menu_for(user) for link in links]
        assert shown == declared and shown, username
        for url, label in shown:
            assert client.get(url).status_code == 200, (username, label, url)


def test_each_role_sees_only_its_own_items(every_role):
    for user in every_role.values():
        urls = {link.url for _, links in menu_for(user) for link in links}
        if user.role in (Role.SECURITY_ADMIN, Role.AUDITOR):
            assert "/orgs/" not in urls and "/" not in urls and "/map/" not in urls
            assert len(urls) == (3 if user.role == Role.SECURITY_ADMIN else 1)
        else:
            assert "/account/users/" not in urls and "/orgs/" in urls
    town = every_role["town_a"]
    assert "/imports/" not in {link.url for _, links in menu_for(town) for link in links}


def test_the_security_administrator_and_auditor_start_on_their_own_page(client, every_role):
    client.force_login(every_role["anquan"])
    assert client.get("/").url == "/account/users/"
    client.force_login(every_role["shenji"])
    assert client.get("/").url == "/audit/"


def test_the_current_page_is_marked(client, users):
    client.force_login(users["admin"])
    page = client.get("/periods/progress/").content.decode()
    assert re.findall(r'menu-link active" href="([^"]+)"', page) == ["/periods/progress/"]
