from django.apps import AppConfig


class ParksConfig(AppConfig):
    name = "liangxin.web.parks"
    label = "parks"
    verbose_name = "园区楼宇"
