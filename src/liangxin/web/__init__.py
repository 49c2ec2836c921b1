"""The web system of record: Django 5.2 project ``liangxin.web``.

``python -m liangxin.web <command>`` and ``liangxin web <command>`` are this project's
``manage.py``; ``liangxin web demo`` sets up and serves the demo county.
"""

from __future__ import annotations

import os
import sys

from liangxin.argparse_zh import use_chinese

SETTINGS = "liangxin.web.settings"
HELP = """用法：liangxin web 命令 [参数…]

网页系统的命令（各命令的参数见 liangxin web 命令 --help）：
  demo        演示：生成演示县、建库、导入、建立各角色用户并启动网站
  migrate     建库或升级数据库（默认 ./var/liangxin.sqlite3）
  runserver   启动网站（默认 127.0.0.1:8000），如 liangxin web runserver 127.0.0.1:8000
  worker      单独运行后台任务（设置 LIANGXIN_JOBS=external 时）
  adduser     建立用户，如 liangxin web adduser 张三 --password … --role town --region 郑山街道
  backup      备份数据库和上传文件：liangxin web backup 备份.tar
  restore     恢复备份并逐表核对：liangxin web restore 备份.tar --yes
  audit       审计日志：verify 校验完整性；purge 清理超过保存期限的记录
  help 命令   显示该命令的帮助

本地使用无需设置环境变量：首次运行时在数据目录（默认 ./var）生成密钥文件 secret.key、audit.key。
环境变量：DATABASE_URL（PostgreSQL，默认 SQLite）、LIANGXIN_DATA_DIR（数据目录）、
LIANGXIN_DEBUG=1（显示调试页面，仅供开发）、LIANGXIN_SECRET_KEY、LIANGXIN_AUDIT_KEY（正式部署必填）等，
详见 README。
"""


def manage(argv: list[str]) -> int:
    """Run a Django management command (``argv`` without the program name)."""
    if argv in ([], ["help"], ["--help"], ["-h"]):
        print(HELP, end="")
        return 0
    use_chinese()
    if argv[:1] == ["demo"]:
        # The demo runs on a developer's machine: a local secret and debug pages are fine.
        os.environ.setdefault("LIANGXIN_DEMO", "1")
        os.environ.setdefault("LIANGXIN_AS_OF", "2020-07-01")  # the demo county's 统计日
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["liangxin web", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(manage(sys.argv[1:]))
