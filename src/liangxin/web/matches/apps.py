from django.apps import AppConfig


class MatchesConfig(AppConfig):
    name = "liangxin.web.matches"
    label = "matches"
    verbose_name = "待确认匹配"
