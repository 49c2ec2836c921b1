from django.urls import path

from liangxin.web.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.map_view, name="map"),
    path("boundaries/", views.upload, name="upload"),
]
