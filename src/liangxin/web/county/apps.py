from django.apps import AppConfig


class CountyConfig(AppConfig):
    """The boundary between the engine's frames and the database (no pages)."""

    name = "liangxin.web.county"
    label = "county"
    verbose_name = "全县数据"

    def ready(self) -> None:
        from liangxin.web.county import rescreen  # noqa: F401  (job handler)
