from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liangxin.web.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from liangxin.web.core import paths  # noqa: F401  (registers the ``under`` lookup)
