from django.urls import path

from . import views

app_name = "faculty"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("teachers/new/", views.teacher_create, name="teacher_create"),
    path("teachers/<int:pk>/", views.teacher_detail, name="teacher"),
    path("teachers/<int:pk>/edit/", views.teacher_edit, name="teacher_edit"),
    path("teachers/<int:pk>/<slug:kind>/new/", views.entry_add, name="entry_add"),
    path("entries/<slug:kind>/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<slug:kind>/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("ledger.xlsx", views.ledger_export, name="export"),
    path("ledger.pdf", views.ledger_pdf, name="export_pdf"),
    path("import/", views.ledger_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("courses/", views.part_time_courses, name="courses"),
]
