from django.urls import path

from liangxin.web.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.home, name="home")]
