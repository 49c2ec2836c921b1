from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "liangxin.web.periods"
    label = "periods"
    verbose_name = "台账期次"
