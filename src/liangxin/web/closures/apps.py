from django.apps import AppConfig


class ClosuresConfig(AppConfig):
    name = "liangxin.web.closures"
    label = "closures"
    verbose_name = "销号任务"
