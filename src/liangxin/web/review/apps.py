from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "liangxin.web.review"
    # the label the tables were made under: the database migrates in place
    label = "matches"
    verbose_name = "待确认匹配"
