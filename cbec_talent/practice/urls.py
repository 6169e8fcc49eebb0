from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("new/", views.session_create, name="session_create"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/advance/", views.session_advance, name="session_advance"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/roles/<slug:role>/", views.team_role, name="team_role"),
    path("teams/<int:pk>/debrief/", views.team_debrief, name="team_debrief"),
]
