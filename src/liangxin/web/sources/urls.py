from django.urls import path

from liangxin.web.sources import views

app_name = "sources"
urlpatterns = [path("<int:pk>/", views.SourceRecordDetailView.as_view(), name="detail")]
