"""The commands as the README writes them, run as a new user would: in a fresh folder, with no
LIANGXIN_* variable set, and their help and errors in Chinese."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

LIANGXIN = [sys.executable, "-m", "liangxin.cli"]


def run(args: list[str], cwd: Path, timeout: int = 600, **env: str) -> subprocess.CompletedProcess:
    """``liangxin …`` in ``cwd`` with a clean environment: no LIANGXIN_*, DJANGO_* or
    DATABASE_URL of the test run."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LIANGXIN_", "DJANGO_")) and k != "DATABASE_URL"
    }
    environment.update(env)
    return subprocess.run(
        [*LIANGXIN, *args], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


def test_migrate_in_a_fresh_folder_makes_local_keys_once(tmp_path: Path) -> None:
    first = run(["web", "migrate"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    keys = {name: tmp_path / "var" / name for name in ("secret.key", "audit.key")}
    contents = {}
    for name, path in keys.items():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, name  # the owner's only
        contents[name] = path.read_text()
        assert len(contents[name].strip()) >= 50
    assert contents["secret.key"] != contents["audit.key"]
    again = run(["web", "migrate"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert {name: path.read_text() for name, path in keys.items()} == contents


def test_the_environment_keys_win_and_no_key_file_is_made(tmp_path: Path) -> None:
    result = run(
        ["web", "check"], tmp_path, LIANGXIN_SECRET_KEY="s" * 60, LIANGXIN_AUDIT_KEY="a" * 40
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "var" / "secret.key").exists()
    assert not (tmp_path / "var" / "audit.key").exists()


def test_production_refuses_local_keys_and_makes_none(tmp_path: Path) -> None:
    result = run(["web", "check", "--settings=liangxin.web.settings_production"], tmp_path)
    assert result.returncode != 0
    assert "LIANGXIN_SECRET_KEY" in result.stderr
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize("args", [["web"], ["web", "--help"], ["web", "-h"], ["web", "help"]])
def test_web_help_lists_the_commands_in_chinese(tmp_path: Path, args: list[str]) -> None:
    result = run(args, tmp_path)
    assert result.returncode == 0, result.stderr
    for command in ("demo", "migrate", "runserver", "adduser", "LIANGXIN_DEBUG"):
        assert command in result.stdout
    assert result.stdout.startswith("用法：liangxin web")


def test_help_and_errors_speak_chinese(tmp_path: Path) -> None:
    top = run(["--help"], tmp_path)
    assert top.returncode == 0
    assert top.stdout.startswith("用法：liangxin") and "显示此帮助信息并退出" in top.stdout
    assert "usage" not in top.stdout and "show this help" not in top.stdout
    missing = run(["build"], tmp_path)
    assert missing.returncode == 2
    assert "用法：liangxin build" in missing.stderr
    assert "liangxin build：错误：缺少必需的参数：部门数据文件夹, --out" in missing.stderr
    wrong = run(["demo-data", "out", "--orgs", "多"], tmp_path)
    assert "错误：参数 --orgs：无效的值：'多'" in wrong.stderr
    django = run(["web", "migrate", "--help"], tmp_path)
    assert django.returncode == 0, django.stderr
    assert django.stdout.startswith("用法：liangxin web migrate")
    assert "显示此帮助信息并退出" in django.stdout
    unknown = run(["web", "migrate", "--no-such-option"], tmp_path)
    assert "无法识别的参数：--no-such-option" in unknown.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def test_runserver_serves_the_styles_without_debug(tmp_path: Path) -> None:
    assert run(["web", "migrate"], tmp_path).returncode == 0
    port = free_port()
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LIANGXIN_", "DJANGO_")) and k != "DATABASE_URL"
    }
    server = subprocess.Popen(
        [*LIANGXIN, "web", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, kind, body = fetch(f"http://127.0.0.1:{port}/login/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        assert status == 200
        page = body.decode()
        assert "/static/liangxin/app.css" in page
        for path in ("liangxin/app.css", "vendor/bootstrap/bootstrap.min.css"):
            status, kind, body = fetch(f"http://127.0.0.1:{port}/static/{path}")
            assert (status, kind) == (200, "text/css") and len(body) > 100, path
        assert fetch(f"http://127.0.0.1:{port}/static/no-such.css")[0] == 404
        assert fetch(f"http://127.0.0.1:{port}/static/%2e%2e/settings.py")[0] in (400, 404)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_second_demo_run_says_what_it_kept(tmp_path: Path) -> None:
    args = ["web", "demo", "--no-serve", "--orgs", "150"]
    first = run(args, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "已提交第1批导入" in first.stdout
    second = run([*args, "--seed", "2"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert "已提交" not in second.stdout
    assert "数据库中已有" in second.stdout and "最近一次导入：第1批导入" in second.stdout
    assert "保留原有数据，不重新导入" in second.stdout and "要重建演示库" in second.stdout
