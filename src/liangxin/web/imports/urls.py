from django.urls import path

from liangxin.web.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.BatchListView.as_view(), name="list"),
    path("new/", views.UploadView.as_view(), name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/changes/<str:model>/", views.changes, name="changes"),
    path("<int:pk>/rejects.csv", views.rejects_csv, name="rejects"),
    path("<int:pk>/rejected/", views.rejected, name="rejected"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/reanalyse/", views.reanalyse, name="reanalyse"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/review/<int:index>/decide/", views.decide, name="decide"),
]
