from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("status/<str:list_id>", views.status_list, name="status_list"),
    path("issuer", views.issuer, name="issuer"),
    path("students/<int:pk>/", views.student_credentials, name="student"),
    path("students/<int:pk>/issue/", views.issue, name="issue"),
    path("<uuid:uuid>.json", views.download, name="download"),
    path("<uuid:uuid>/revoke/", views.revoke, name="revoke"),
]
