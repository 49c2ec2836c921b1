from django.urls import path

from liangxin.web.instructors import views

app_name = "instructors"
urlpatterns = [
    path("", views.InstructorListView.as_view(), name="list"),
    path("<int:pk>/", views.InstructorDetailView.as_view(), name="detail"),
]
