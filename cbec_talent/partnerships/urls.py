from django.urls import path

from . import views, views_alliance, views_cycle, views_overview

app_name = "partnerships"
urlpatterns = [
    path("", views.enterprise_list, name="enterprises"),
    path("enterprises/<int:pk>/", views_alliance.enterprise_detail, name="enterprise"),
    path("enterprises/<int:pk>/edit/", views_alliance.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/tutors/", views_alliance.enterprise_tutors, name="enterprise_tutors"),
    path("enterprises/<int:pk>/agreements/", views_alliance.agreement_add, name="agreement_add"),
    path("agreements/<int:pk>/", views_alliance.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/delete/", views_alliance.agreement_delete, name="agreement_delete"),
    path("posts/<int:pk>/ranking/", views_alliance.applicant_ranking, name="applicant_ranking"),
    path("posts/", views.post_list, name="posts"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("apply/", views.apply, name="apply"),
    path("match/", views.match, name="match"),
    path("placements/", views.placement_list, name="placements"),
    path("placements/<int:pk>/", views_cycle.placement_detail, name="placement"),
    path("placements/<int:pk>/tutors/", views_cycle.placement_tutors, name="placement_tutors"),
    path("placements/<int:pk>/checkins/", views_cycle.checkin_add, name="checkin_add"),
    path("placements/<int:pk>/logs/", views_cycle.weekly_log_add, name="weekly_log_add"),
    path("logs/<int:pk>/comment/", views_cycle.weekly_log_comment, name="weekly_log_comment"),
    path("placements/<int:pk>/evaluate/", views_cycle.evaluate, name="evaluate"),
    path("placements/<int:pk>/grade/", views_cycle.evaluation_to_grade, name="evaluation_to_grade"),
    path("overview/", views_overview.overview, name="overview"),
    path("overview/export.xlsx", views_overview.overview_export, name="overview_export"),
]
