from django.urls import path

from liangxin.web.jobs import views

app_name = "jobs"
urlpatterns = [path("<int:pk>/progress/", views.progress, name="progress")]
