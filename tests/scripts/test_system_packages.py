"""scripts/system-packages.sh on a machine where another apt holds the lock: it waits and
retries instead of failing, and stops at once on any other failure. apt-get, sudo and sleep
are stand-ins on PATH that record what they were asked."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "scripts" / "system-packages.sh"
TOOLS = ("bash", "env", "id", "grep", "mktemp", "cat", "rm")


def fake_bin(tmp_path: Path, apt_get: str) -> Path:
    """A PATH with the few real tools the script uses and fake apt-get/sudo/sleep: libreoffice
    and fc-list are absent, so the script has packages to install."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in TOOLS:
        (folder / tool).symlink_to(shutil.which(tool))
    scripts = {"apt-get": apt_get, "sudo": '"$@"\n', "sleep": "true\n"}
    for name, body in scripts.items():
        (folder / name).write_text(f"#!/bin/bash\n{body}")
        (folder / name).chmod(0o755)
    return folder


def run(tmp_path: Path, apt_get: str) -> subprocess.CompletedProcess:
    env = {"PATH": str(fake_bin(tmp_path, apt_get)), "CALLS": str(tmp_path / "calls")}
    (tmp_path / "calls").write_text("")
    return subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )


LOCKED_TWICE = """echo "$*" >> "$CALLS"
n=$(grep -c update "$CALLS")
if [[ "$*" == *update* && $n -le 2 ]]; then
  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
  exit 100
fi
exit 0
"""


def test_a_held_lock_is_waited_for(tmp_path: Path) -> None:
    result = run(tmp_path, LOCKED_TWICE)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert [c.split()[-1] if "update" in c else "install" for c in calls] == [
        "-qq", "-qq", "-qq", "install"
    ]  # fmt: skip
    assert all("DPkg::Lock::Timeout=600" in c for c in calls)
    assert "libreoffice-calc-nogui" in calls[-1] and "fonts-wqy-microhei" in calls[-1]
    assert result.stderr.count("等待其结束") == 2


def test_another_failure_stops_at_once(tmp_path: Path) -> None:
    result = run(tmp_path, 'echo "$*" >> "$CALLS"; echo "E: Unable to fetch" >&2; exit 100\n')
    assert result.returncode != 0
    assert len((tmp_path / "calls").read_text().splitlines()) == 1
    assert "Unable to fetch" in result.stderr and "等待" not in result.stderr


def test_nothing_to_do_when_everything_is_installed() -> None:
    if not (shutil.which("libreoffice") and os.path.exists("/usr/bin/chromium")):
        pytest.skip("the packages are not installed here")
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == ""
