from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("jobs/", views.job_queue, name="jobs"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="job_retry"),
]
