from django.urls import path

from liangxin.web.closures import views

app_name = "closures"
urlpatterns = [
    path("", views.ClosureListView.as_view(), name="list"),
    path("bulk/", views.bulk, name="bulk"),
    path("resync/", views.resync, name="resync"),
    path("<int:pk>/", views.ClosureDetailView.as_view(), name="detail"),
    path("<int:pk>/plan/", views.save_plan, name="plan"),
    path("<int:pk>/waive/", views.waive, name="waive"),
    path("<int:pk>/complete/", views.complete, name="complete"),
]
