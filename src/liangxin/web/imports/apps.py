from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "liangxin.web.imports"
    label = "imports"
    verbose_name = "导入"

    def ready(self) -> None:
        from liangxin.web.imports import analysis, commit  # noqa: F401  (job handlers)
