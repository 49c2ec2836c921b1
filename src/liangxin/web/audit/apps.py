from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "liangxin.web.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from liangxin.web.audit import signals  # noqa: F401
