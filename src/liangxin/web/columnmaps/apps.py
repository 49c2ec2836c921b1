from django.apps import AppConfig


class ColumnMapsConfig(AppConfig):
    name = "liangxin.web.columnmaps"
    label = "columnmaps"
    verbose_name = "表头对照"
