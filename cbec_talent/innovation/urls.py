from django.urls import path

from . import views

app_name = "innovation"
urlpatterns = [
    path("", views.index, name="index"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/suggest/", views.project_suggest, name="project_suggest"),
    path("projects/<int:pk>/teams/", views.team_create, name="team_create"),
    path("teams/<int:pk>/join/", views.team_join, name="team_join"),
    path("teams/<int:pk>/leave/", views.team_leave, name="team_leave"),
    path("teams/<int:pk>/members/", views.team_member_add, name="team_member_add"),
    path("competitions/", views.competition_list, name="competitions"),
    path("competitions/<int:pk>/", views.competition_detail, name="competition"),
    path("competitions/<int:pk>/entries/", views.entry_add, name="entry_add"),
    path("entries/<int:pk>/result/", views.result_save, name="result_save"),
    path("results.xlsx", views.results_export, name="results_export"),
    path("me/", views.me, name="me"),
    path("students/<int:pk>/", views.student_record, name="student"),
]
