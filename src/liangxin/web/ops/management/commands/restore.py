from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from liangxin.web.audit.actions import Action, log
from liangxin.web.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份文件恢复数据库和上传的文件（覆盖现有数据），恢复后逐表核对行数和校验值"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="备份文件（.tar）")
        parser.add_argument("--yes", action="store_true", help="确认覆盖现有数据")

    def handle(self, *args, **o):
        if not o["yes"]:
            raise CommandError("恢复会覆盖现有的数据库和上传文件；确认请加 --yes")
        db = connections["default"].settings_dict
        connections.close_all()
        try:
            report = restore(o["file"], db, settings.MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if not report.ok:
            raise CommandError("恢复后核对不一致：" + "；".join(report.mismatches))
        log(Action.UPDATE, object_repr="系统恢复", note=f"从 {o['file']} 恢复：{report.rows} 行")
        self.stdout.write(
            f"已从 {o['file']} 恢复：{report.tables} 张表 {report.rows} 行、"
            f"{report.files} 个上传文件，逐表核对一致"
        )
