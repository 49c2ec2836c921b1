"""``liangxin web demo``: the demo county, set up through the same paths a county would use,
then served at http://127.0.0.1:8000."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from liangxin.synth import generate
from liangxin.web.accounts.actions import do_save_user
from liangxin.web.core.scope import Role
from liangxin.web.imports.actions import do_commit, do_upload
from liangxin.web.imports.models import ImportBatch
from liangxin.web.instructors.models import Instructor
from liangxin.web.jobs.worker import drain, ensure_thread
from liangxin.web.orgs.models import Org
from liangxin.web.regions.models import Region


def demo_files(folder: Path) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(p.name, p.read_bytes())
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    ]


def import_folder(folder: Path, user) -> ImportBatch:
    """Upload every file of ``folder``, analyse and commit, in this thread."""
    with override_settings(LIANGXIN_JOBS="external"):
        batch = do_upload(user, demo_files(folder), "演示数据")
        drain()
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.READY:
            raise CommandError(f"分析失败：{batch.error}")
        do_commit(batch, user)
        drain()
        batch.refresh_from_db()
    if batch.status != ImportBatch.Status.COMMITTED:
        raise CommandError(f"提交失败：{batch.error}")
    return batch


class Command(BaseCommand):
    help = "生成演示县的部门数据，建库、导入、建立各角色用户，并在 http://127.0.0.1:8000 运行"

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, help="导入这个文件夹的部门数据（默认生成演示县）")
        parser.add_argument("--orgs", type=int, default=3000, help="单位数（默认3000）")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网站")

    def handle(self, *args, **o):
        call_command("migrate", verbosity=0)
        password = _password()
        admin = do_save_user(None, "admin", password, "县两新工委管理员", role=Role.COUNTY_ADMIN)
        logins = [("县级管理员", "admin", password)]
        if Org.objects.exists():
            self.stdout.write(_kept())
        else:
            folder = o["data"] or Path(settings.DATA_DIR) / "demo" / "部门数据"
            if o["data"] is None:
                self.stdout.write(str(generate(folder, seed=o["seed"], n_orgs=o["orgs"])))
            self.stdout.write("导入演示数据（与网页导入相同的过程）……")
            batch = import_folder(folder, admin)
            self.stdout.write(f"已提交{batch}：{batch.summary['counts']['org']['new']} 个单位")
        logins += self._role_users()
        self.stdout.write("\n演示用户（密码每次运行重新生成）：")
        for role, username, secret in logins:
            self.stdout.write(f"  {role}\t用户名 {username:<12} 密码 {secret}")
        if o["no_serve"]:
            return
        self.stdout.write(f"\n打开 http://{o['addr']}/ 登录；按 Ctrl+C 停止。")
        ensure_thread()
        call_command("runserver", o["addr"], use_reloader=False, insecure_serving=True)

    def _role_users(self):
        town = Region.objects.filter(level=Region.Level.TOWN).order_by("name").first()
        instructor = Instructor.objects.order_by("entity_id").first()
        users = [
            ("镇街用户", "town", {"role": Role.TOWN, "region": town}, f"{town}两新综合党委"),
            (
                "部门用户",
                "minzheng",
                {
                    "role": Role.DEPARTMENT,
                    "dept_subtypes": ["association", "service_org", "foundation"],
                },
                "民政局",
            ),
            ("领导", "leader", {"role": Role.LEADER}, "县委组织部领导"),
            ("安全管理员", "anquan", {"role": Role.SECURITY_ADMIN}, "安全管理员"),
            ("审计员", "shenji", {"role": Role.AUDITOR}, "审计员"),
        ]
        if instructor is not None:
            users.append(
                (
                    "指导员",
                    "instructor",
                    {"role": Role.INSTRUCTOR, "instructor": instructor},
                    instructor.name,
                )
            )
        out = []
        for role, username, fields, name in users:
            secret = _password()
            do_save_user(None, username, secret, name, **fields)
            out.append((role, username, secret))
        return out


def _kept() -> str:
    """A re-run keeps the database (its imports, edits and audit log are the county's record):
    say so, and how to start afresh."""
    last = (
        ImportBatch.objects.filter(status=ImportBatch.Status.COMMITTED)
        .order_by("-committed_at")
        .first()
    )
    when = f"，最近一次导入：{last}" if last else ""
    return (
        f"数据库中已有 {Org.objects.count()} 个单位{when}。保留原有数据，不重新导入"
        f"（--data、--seed、--orgs 本次不起作用）；要重建演示库，请先删除数据目录"
        f" {settings.DATA_DIR}（或另设 LIANGXIN_DATA_DIR）再运行。"
    )


def _password() -> str:
    """A random password that meets the password rules (upper, lower, digit, symbol; 12 long).

    Demo users are not asked to change it at their first login (the demo is a local trial)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    body = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"Lx-{body}{secrets.randbelow(10)}"
