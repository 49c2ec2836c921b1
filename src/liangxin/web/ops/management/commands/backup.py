from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from liangxin.web.audit.actions import Action, log
from liangxin.web.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个文件（SQLite 或 PostgreSQL），含每张表的行数和校验值"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="备份文件（.tar）")

    def handle(self, *args, **o):
        try:
            manifest = backup(o["file"], connections["default"].settings_dict, settings.MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(t["count"] for t in manifest["tables"].values())
        log(Action.EXPORT, object_repr="系统备份", note=f"备份到 {o['file']}：{rows} 行")
        self.stdout.write(
            f"已备份到 {o['file']}：{len(manifest['tables'])} 张表 {rows} 行，"
            f"{len(manifest['members']) - 1} 个上传文件"
        )
