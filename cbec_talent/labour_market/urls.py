from django.urls import path

from . import views

app_name = "labour_market"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/retag/", views.import_retag, name="import_retag"),
    path("gap/", views.gap, name="gap"),
    path("gap/export.xlsx", views.gap_export, name="gap_export"),
    path("gap/weights.json", views.gap_weights, name="gap_weights"),
    path("gap/optimise/", views.gap_optimise, name="gap_optimise"),
    path("alerts/", views.alert_settings, name="alert_settings"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("occupations/", views.occupations, name="occupations"),
    path("occupations/<str:code>/", views.occupation_detail, name="occupation_detail"),
    path("postings/<int:pk>/occupation/", views.posting_occupation, name="posting_occupation"),
]
