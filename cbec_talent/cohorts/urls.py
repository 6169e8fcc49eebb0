from django.urls import path, re_path

from . import views, views_reports

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("new/", views.cohort_create, name="create"),
    path("rules/", views.college_rules, name="rules"),
    path("me/", views_reports.my_profile, name="me"),
    path("<int:pk>/", views.cohort_detail, name="cohort"),
    path("<int:pk>/classes/new/", views.class_create, name="class_create"),
    path("<int:pk>/students/import/", views.student_import, name="student_import"),
    path("<int:pk>/students/template.xlsx", views.student_template, name="student_template"),
    path("<int:pk>/enrolments/import/", views.enrolment_import, name="enrolment_import"),
    path("<int:pk>/enrolments/template.xlsx", views.enrolment_template, name="enrolment_template"),
    path("<int:pk>/explain/<str:code>/", views_reports.cohort_explain, name="cohort_explain"),
    path("<int:pk>/report.xlsx", views_reports.cohort_export_xlsx, name="export_xlsx"),
    path("<int:pk>/report.pdf", views_reports.cohort_export_pdf, name="export_pdf"),
    path("classes/<int:pk>/", views_reports.class_detail, name="class"),
    path("classes/<int:pk>/grades/<int:course_pk>/", views_reports.grade_entry, name="grades"),
    path("classes/<int:pk>/grades/<int:course_pk>/template.xlsx", views_reports.grade_template, name="grade_template"),
    path("classes/<int:pk>/grades/<int:course_pk>/import/", views_reports.grade_import, name="grade_import"),
    path(
        "classes/<int:pk>/grades/<int:course_pk>/practice/",
        views_reports.grades_from_practice,
        name="grades_from_practice",
    ),
    path("students/<int:pk>/", views_reports.student_profile, name="student"),
    path("classes/<int:pk>/objectives/<int:course_pk>/", views_reports.objectives, name="objectives"),
    re_path(
        r"^classes/(?P<pk>[0-9]+)/objectives/(?P<course_pk>[0-9]+)/report\.(?P<fmt>pdf|docx)$",
        views_reports.objective_report,
        name="objective_report",
    ),
    path("courses/<int:course_pk>/objectives/", views_reports.objectives_define, name="objectives_define"),
    path("<int:pk>/stages/open/", views.stage_open, name="stage_open"),
    path("students/<int:pk>/explain/<str:code>/", views_reports.student_explain, name="student_explain"),
    path("programmes/<int:pk>/plans/", views.plan_list, name="plans"),
    path("programmes/<int:pk>/plans/<str:code>/", views.plan_edit, name="plan_edit"),
]
