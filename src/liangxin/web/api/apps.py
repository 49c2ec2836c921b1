from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "liangxin.web.api"
    label = "api"
    verbose_name = "数据接口"
