from django.urls import path

from liangxin.web.parks import views

app_name = "parks"
urlpatterns = [
    path("", views.ParkListView.as_view(), name="list"),
    path("<int:pk>/", views.ParkDetailView.as_view(), name="detail"),
]
