from django.urls import path

from liangxin.web.review import views

app_name = "review"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
