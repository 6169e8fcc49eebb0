from django.urls import path

from . import views

app_name = "competencies"
urlpatterns = [
    path("", views.framework_list, name="frameworks"),
    path("import/", views.framework_import, name="import"),
    path("occupations/", views.occupation_search, name="occupations"),
    path("<int:pk>/", views.framework_detail, name="framework"),
    path("<int:pk>/copy/", views.framework_copy, name="copy"),
    path("<int:pk>/export.<str:fmt>", views.framework_export, name="export"),
    path("<int:pk>/positions/", views.position_list, name="positions"),
    path("<int:pk>/positions/<str:code>/", views.position_detail, name="position"),
    path("<int:pk>/certificates/", views.certificate_list, name="certificates"),
    path("<int:pk>/competencies/<str:code>/", views.competency_detail, name="competency"),
    path("<int:pk>/competencies/<str:code>/edit/", views.competency_edit, name="competency_edit"),
]
