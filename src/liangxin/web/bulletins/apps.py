from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "liangxin.web.bulletins"
    label = "bulletins"
    verbose_name = "通报"
