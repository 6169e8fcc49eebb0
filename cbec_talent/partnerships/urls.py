from django.urls import path

from . import views, views_cycle

app_name = "partnerships"
urlpatterns = [
    path("", views.enterprise_list, name="enterprises"),
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
]
