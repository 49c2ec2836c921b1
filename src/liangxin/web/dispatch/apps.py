from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "liangxin.web.dispatch"
    label = "dispatch"
    verbose_name = "指导员选派"
