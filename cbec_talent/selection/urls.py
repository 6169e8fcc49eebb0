from django.urls import path

from . import views

app_name = "selection"
urlpatterns = [
    path("", views.selection_list, name="list"),
    path("<int:pk>/", views.selection_detail, name="detail"),
    path("<int:pk>/settings/", views.selection_settings, name="settings"),
    path("<int:pk>/import/", views.selection_import, name="import"),
    path("<int:pk>/sheet.xlsx", views.selection_template, name="template"),
    path("<int:pk>/rank/", views.selection_rank, name="rank"),
    path("<int:pk>/publish/", views.selection_publish, name="publish"),
    path("<int:pk>/ranking.xlsx", views.selection_export, name="export"),
    path("<int:pk>/ranking.pdf", views.selection_pdf, name="pdf"),
    path("candidates/<int:pk>/scores/", views.candidate_scores, name="candidate_scores"),
    path("candidates/<int:pk>/remove/", views.candidate_remove, name="candidate_remove"),
]
