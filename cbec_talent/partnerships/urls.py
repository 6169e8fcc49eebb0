from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.enterprise_list, name="enterprises"),
    path("posts/", views.post_list, name="posts"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("apply/", views.apply, name="apply"),
    path("match/", views.match, name="match"),
    path("placements/", views.placement_list, name="placements"),
]
