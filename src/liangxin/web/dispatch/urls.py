from django.urls import path

from liangxin.web.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("accept/", views.accept, name="accept"),
]
