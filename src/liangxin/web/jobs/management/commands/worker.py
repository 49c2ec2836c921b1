import contextlib
import threading

from django.core.management.base import BaseCommand

from liangxin.web.jobs.worker import work


class Command(BaseCommand):
    help = "运行后台任务（导入分析、提交、重新筛查、生成台账），与 LIANGXIN_JOBS=external 配合使用"

    def handle(self, *args, **options):
        self.stdout.write("后台任务进程已启动，按 Ctrl+C 停止")
        with contextlib.suppress(KeyboardInterrupt):
            work(threading.Event())
