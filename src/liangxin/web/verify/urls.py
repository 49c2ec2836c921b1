from django.urls import path

from liangxin.web.verify import views

app_name = "verify"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/", views.card, name="card"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/assign/", views.assign, name="assign"),
]
