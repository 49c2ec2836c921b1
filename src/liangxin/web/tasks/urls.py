from django.urls import path

from liangxin.web.tasks import views

app_name = "tasks"
urlpatterns = [path("<int:pk>/progress/", views.progress, name="progress")]
