from django.urls import path

from liangxin.web.matches import views

app_name = "matches"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
