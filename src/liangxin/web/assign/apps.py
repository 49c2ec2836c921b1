from django.apps import AppConfig


class AssignConfig(AppConfig):
    name = "liangxin.web.assign"
    # the label the tables were made under: the database migrates in place
    label = "dispatch"
    verbose_name = "指导员选派"
