from django.apps import AppConfig


class VerifyConfig(AppConfig):
    name = "liangxin.web.verify"
    label = "verify"
    verbose_name = "核实任务"
