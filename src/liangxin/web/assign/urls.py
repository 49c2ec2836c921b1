from django.urls import path

from liangxin.web.assign import views

app_name = "assign"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("accept/", views.accept, name="accept"),
]
