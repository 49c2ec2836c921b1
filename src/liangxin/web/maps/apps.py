from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "liangxin.web.maps"
    label = "maps"
    verbose_name = "挂图作战"
