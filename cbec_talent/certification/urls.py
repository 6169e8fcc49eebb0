from django.urls import path, re_path

from . import views, views_catalogue, views_credit

app_name = "certification"
urlpatterns = [
    path("me/", views.my_audit, name="me"),
    path("cohorts/<int:pk>/", views.cohort_summary, name="cohort"),
    re_path(r"^cohorts/(?P<pk>[0-9]+)/audit\.(?P<fmt>xlsx|pdf)$", views.cohort_export, name="export"),
    path("cohorts/<int:pk>/import/", views.certificate_import, name="import"),
    path("cohorts/<int:pk>/template.xlsx", views.import_template, name="template"),
    path("students/<int:pk>/", views.student_audit, name="student"),
    path("students/<int:pk>/certificates/new/", views.certificate_new, name="certificate_new"),
    path("students/<int:pk>/practice/", views.practice_set, name="practice"),
    path("held/<int:pk>/delete/", views.certificate_delete, name="certificate_delete"),
    path("catalogue/", views_catalogue.catalogue_list, name="catalogue"),
    path("catalogue/export.xlsx", views_catalogue.catalogue_export, name="catalogue_export"),
    path("catalogue/import/", views_catalogue.catalogue_import, name="catalogue_import"),
    path("catalogue/<str:code>/", views_catalogue.catalogue_detail, name="catalogue_detail"),
    path("catalogue/<str:code>/edit/", views_catalogue.catalogue_edit, name="catalogue_edit"),
    path("catalogue/<str:code>/modules/new/", views_catalogue.module_edit, name="catalogue_module_new"),
    path("catalogue/<str:code>/modules/<str:module>/edit/", views_catalogue.module_edit, name="catalogue_module_edit"),
    path("catalogue/<str:code>/modules/<str:module>/delete/", views_catalogue.module_delete,
         name="catalogue_module_delete"),
    path("programmes/<int:pk>/coverage/", views_credit.programme_coverage, name="coverage"),
    path("programmes/<int:pk>/coverage/add/", views_credit.module_course_add, name="coverage_add"),
    path("coverage/<int:pk>/delete/", views_credit.module_course_delete, name="coverage_delete"),
    path("held/<int:pk>/credit/", views_credit.credit_request, name="credit_request"),
    path("credits/<int:pk>/decide/", views_credit.credit_decide, name="credit_decide"),
]
