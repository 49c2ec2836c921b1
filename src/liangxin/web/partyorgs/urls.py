from django.urls import path

from liangxin.web.partyorgs import views

app_name = "partyorgs"
urlpatterns = [
    path("", views.PartyOrgListView.as_view(), name="list"),
    path("<int:pk>/", views.PartyOrgDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PartyOrgEditView.as_view(), name="edit"),
]
