from django.urls import path

from liangxin.web.api import tokens, views

app_name = "api"
urlpatterns = [
    path("schema", views.schema, name="schema"),
    path("orgs/", views.orgs, name="orgs"),
    path("orgs/<int:pk>/", views.org, name="org"),
    path("partyorgs/", views.party_orgs, name="party_orgs"),
    path("partyorgs/<int:pk>/", views.party_org, name="party_org"),
    path("instructors/", views.instructors, name="instructors"),
    path("instructors/<int:pk>/", views.instructor, name="instructor"),
    path("metrics/", views.metrics, name="metrics"),
    path("tokens/", tokens.TokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.revoke, name="revoke"),
]
