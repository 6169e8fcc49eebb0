from django.urls import path, re_path

from . import views, views_versions

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("import/", views.programme_import, name="import"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    re_path(r"^(?P<pk>[0-9]+)/export\.(?P<fmt>xlsx|pdf)$", views.programme_export, name="export"),
    path("<int:pk>/courses/new/", views.course_new, name="course_new"),
    path("<int:pk>/courses/<str:code>/edit/", views.course_edit, name="course_edit"),
    path("<int:pk>/courses/<str:code>/delete/", views.course_delete, name="course_delete"),
    path("<int:pk>/copy/", views_versions.programme_copy_view, name="copy"),
    path("<int:pk>/diff/", views_versions.programme_diff_view, name="diff"),
    path("<int:pk>/optimise/", views_versions.optimiser_start, name="optimise"),
    path("<int:pk>/optimiser/<int:run>/", views_versions.optimiser_run_view, name="optimiser_run"),
]
