"""What a user reads when something is refused or fails: Chinese pages, no server path or
library text; invalid filters refused as the API refuses them; times in the configured zone."""

from __future__ import annotations

import datetime
import zipfile

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import timezone
from django.views.defaults import server_error
from web_county import import_files

from liangxin.web.audit.models import AuditLog
from liangxin.web.core.display import datetime_text
from liangxin.web.regions.models import Region

pytestmark = pytest.mark.django_db

ENGLISH = ("Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification")


def assert_chinese_page(response, status: int, words: str):
    page = response.content.decode()
    assert response.status_code == status and words in page, page[:500]
    assert not any(text in page for text in ENGLISH), page[:500]


def test_error_pages_are_chinese(client_for):
    client = client_for("town_a")
    assert_chinese_page(client.get("/no-such-page/"), 404, "页面不存在")
    assert_chinese_page(client.get("/account/users/"), 403, "没有权限")
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post("/login/", {"username": "town_a", "password": "x"})
    assert_chinese_page(refused, 403, "页面已过期")
    failed = server_error(RequestFactory().get("/"))
    assert failed.status_code == 500 and "系统出错" in failed.content.decode()


def test_an_unreadable_workbook_names_the_file_not_the_server_path(client_for, users, tmp_path):
    path = tmp_path / "垃圾数据.xlsx"
    with zipfile.ZipFile(path, "w") as archive:  # a zip, but not a workbook
        archive.writestr("readme.txt", "不是工作簿")
    batch = import_files(users["admin"], path, commit=False)
    page = client_for("admin").get(f"/imports/{batch.pk}/").content.decode()
    assert "垃圾数据.xlsx" in page and "无法作为Excel 工作簿打开" in page
    for leak in (str(settings.MEDIA_ROOT), "/垃圾数据.xlsx", "calamine", "Zip", "rror"):
        assert leak not in page.split("<main", 1)[1], leak


def test_invalid_filters_answer_400_on_pages_exports_and_the_api(client_for, county):
    own = Region.objects.get(name=county.town_a)
    other = Region.objects.get(name=county.town_b)
    client = client_for("town_a")
    assert client.get(f"/orgs/?region={own.pk}").status_code == 200
    for url in (f"/orgs/?region={other.pk}", "/orgs/?in_scope=true"):
        assert_chinese_page(client.get(url), 400, "筛选条件有误")
        export = client.get(url.replace("/orgs/", "/orgs/export.xlsx"))
        assert_chinese_page(export, 400, "筛选条件有误")
        assert client.get(url.replace("/orgs/", "/api/orgs/")).status_code == 400
    page = client.get("/orgs/?in_scope=true").content.decode()
    assert "纳入统计" in page  # names the field
    assert_chinese_page(client.get("/partyorgs/?region=x"), 400, "镇街")
    for query in ("a=abc&b=1", "b=2", ""):
        assert_chinese_page(client.get(f"/periods/compare/?{query}"), 400, "台账期次")
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT, username="town_a").exists()


def test_times_are_shown_in_the_configured_time_zone(client_for, users):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    client = client_for("admin")
    client.get("/orgs/export.xlsx")  # an audit entry now
    entry = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("time")
    local = timezone.localtime(entry.time)
    assert local.utcoffset().total_seconds() == 8 * 3600
    from liangxin.web.accounts.actions import do_save_user
    from liangxin.web.core.scope import Role

    auditor = do_save_user(None, "shenji", "Shenji-Audit9", "审计员", role=Role.AUDITOR)
    client.force_login(auditor)
    page = client.get("/audit/?sort=-time").content.decode()
    assert datetime_text(entry.time, seconds=True) in page
    assert f"{entry.time.astimezone(datetime.UTC):%H:%M:%S}" not in page
    assert str(entry).startswith(f"{local:%Y-%m-%d %H:%M}")


@pytest.mark.parametrize(
    ("content", "said"),
    [(b'{"type": "Feature', "第1行第10列不是有效的 JSON"), (b"\xff\xfe{", "不是 UTF-8 编码")],
)
def test_a_broken_boundary_file_is_explained_in_chinese(client_for, content, said):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("边界.geojson", content)
    page = client_for("admin").post("/map/boundaries/", {"geojson": upload}, follow=True)
    text = page.content.decode()
    assert said in text and "Expecting" not in text and "codec" not in text


def test_a_time_inside_an_audit_entry_is_shown_in_the_configured_zone(client_for, users):
    from liangxin.web.accounts.actions import do_save_user
    from liangxin.web.api.actions import do_create_token, do_revoke_token
    from liangxin.web.core.scope import Role

    token, _ = do_create_token(users["town_a"], "报表")
    token = do_revoke_token(users["town_a"], token)
    local = timezone.localtime(token.revoked_at)
    auditor = do_save_user(None, "shenji", "Shenji-Audit9", "审计员", role=Role.AUDITOR)
    client = client_for("town_a")
    client.force_login(auditor)
    page = client.get("/audit/?sort=-time").content.decode()
    assert f"吊销时间：— → {datetime_text(local)}" in page
    assert f"{token.revoked_at.astimezone(datetime.UTC):%H:%M}" not in page
