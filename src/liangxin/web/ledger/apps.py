from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "liangxin.web.ledger"
    label = "ledger"
    verbose_name = "台账"

    def ready(self) -> None:
        from liangxin.web.ledger import workbook  # noqa: F401  (job handler)
