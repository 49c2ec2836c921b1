"""``liangxin web audit verify`` (or ``liangxin audit verify``): check the audit log's chain;
``liangxin web audit purge``: delete records older than the retention period."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liangxin.web.audit.integrity import purge, verify


class Command(BaseCommand):
    help = "审计日志：verify 校验完整性（发现被修改、删除的记录）；purge 清理超过保存期限的记录"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "purge"])

    def handle(self, *args, **o):
        if o["action"] == "purge":
            count = purge()
            self.stdout.write(
                f"已清理超过 {settings.LIANGXIN_AUDIT_RETENTION_DAYS} 天的审计记录 {count} 条"
            )
            return
        report = verify()
        for problem in report.problems[:100]:
            self.stderr.write(str(problem))
        if not report.ok:
            raise CommandError(
                f"审计日志完整性校验失败：发现 {len(report.problems)} 处问题"
                f"（共校验 {report.checked} 条）"
            )
        self.stdout.write(
            f"审计日志完整：共 {report.checked} 条，最新第 {report.head_seq} 条，"
            f"校验码 {report.head_mac}（请将此校验码另行留存，以便日后核对）"
        )
