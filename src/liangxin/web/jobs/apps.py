from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "liangxin.web.jobs"
    # the label the tables were made under (tasks_…): the database migrates in place
    label = "tasks"
    verbose_name = "后台任务"
