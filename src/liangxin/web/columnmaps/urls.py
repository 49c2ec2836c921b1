from django.urls import path

from liangxin.web.columnmaps import views

app_name = "columnmaps"
urlpatterns = [
    path("", views.mapping_list, name="list"),
    path("file/<int:pk>/", views.file_columns, name="file"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
