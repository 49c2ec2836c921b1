from django.urls import path

from liangxin.web.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/chart.png", views.chart, name="chart"),
    path("<int:pk>/bulletin.docx", views.download_docx, name="docx"),
    path("<int:pk>/bulletin.pdf", views.download_pdf, name="pdf"),
]
