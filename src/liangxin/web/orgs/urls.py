from django.urls import path

from liangxin.web.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.OrgListView.as_view(), name="list"),
    path("export.xlsx", views.OrgExportView.as_view(), name="export"),
    path("<int:pk>/", views.OrgDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrgEditView.as_view(), name="edit"),
    path("<int:pk>/reveal/", views.OrgRevealView.as_view(), name="reveal"),
]
