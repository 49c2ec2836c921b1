from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "liangxin.web.dashboard"
    label = "dashboard"
    verbose_name = "首页"
