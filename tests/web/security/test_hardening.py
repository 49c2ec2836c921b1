"""Web hardening (docs/security.md §4): CSRF enforced, a Content-Security-Policy without inline scripts or
external origins (and pages that need neither), production settings clean under check --deploy,
secrets only from the environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.test import Client

from liangxin.web.accounts.actions import do_save_user
from liangxin.web.core.scope import Role
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db


def test_csrf_is_enforced_on_login_and_on_edits(users):
    do_save_user(None, "csrfuser", "Csrf-Check-2026", role=Role.COUNTY_ADMIN)
    client = Client(enforce_csrf_checks=True)
    login = {"username": "csrfuser", "password": "Csrf-Check-2026"}
    assert client.post("/login/", login).status_code == 403
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    assert client.post("/login/", {**login, "csrfmiddlewaretoken": token}).status_code == 302
    org = Org.objects.first()
    assert client.post(f"/orgs/{org.pk}/edit/", {"employees": "99"}).status_code == 403
    assert client.post("/logout/").status_code == 403


def policy(response) -> dict[str, list[str]]:
    directives = [d.split() for d in response["Content-Security-Policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


PAGES = ["/", "/orgs/", "/partyorgs/", "/audit/", "/ledger/", "/account/password/"]


def test_every_page_has_a_policy_forbidding_inline_scripts_and_other_origins(client_for, users):
    client = client_for("admin")
    org = Org.objects.first()
    for url in [*PAGES, f"/orgs/{org.pk}/", "/login/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = policy(response)
        assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
        sources = " ".join(v for values in csp.values() for v in values)
        assert "http" not in sources and "*" not in sources and "unsafe-eval" not in sources
        html = response.content.decode()
        # no inline script (JSON data blocks are not executed)
        inline = r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>'
        assert not re.search(inline, html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url  # no inline event handlers
        for src in re.findall(r'(?:src|href)="([^"#]*)"', html):
            assert not src.startswith(("http:", "https:", "//")), (url, src)


def run_check(**env) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("LIANGXIN_", "DJANGO_"))
    }
    environment.update(
        LIANGXIN_SECRET_KEY="test-only-secret-key-for-the-deployment-check-0123456789abcdef",
        LIANGXIN_AUDIT_KEY="test-only-audit-key-for-the-deployment-check",
        LIANGXIN_ALLOWED_HOSTS="liangxin.example.gov.cn",
        LIANGXIN_DATA_DIR=os.environ.get("TMPDIR", "/tmp") + "/liangxin-check",
    )
    environment.update(env)
    command = [sys.executable, "-m", "liangxin.web", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(
        [*command, "--settings=liangxin.web.settings_production"],
        env=environment,
        capture_output=True,
        text=True,
    )


def test_the_production_settings_pass_the_deployment_checks():
    result = run_check()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_production_settings_refuse_development_secrets_and_modes():
    assert "LIANGXIN_SECRET_KEY" in run_check(LIANGXIN_SECRET_KEY="short").stderr
    assert "LIANGXIN_AUDIT_KEY" in run_check(LIANGXIN_AUDIT_KEY="").stderr
    assert "LIANGXIN_DEBUG" in run_check(LIANGXIN_DEBUG="1").stderr
