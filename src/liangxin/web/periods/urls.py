from django.urls import path

from liangxin.web.periods import views

app_name = "periods"
urlpatterns = [
    path("", views.period_list, name="list"),
    path("freeze/", views.freeze, name="freeze"),
    path("compare/", views.period_compare, name="compare"),
    path("progress/", views.progress, name="progress"),
]
