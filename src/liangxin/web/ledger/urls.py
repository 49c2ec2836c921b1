from django.urls import path

from liangxin.web.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.home, name="home"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/download/", views.download, name="download"),
]
