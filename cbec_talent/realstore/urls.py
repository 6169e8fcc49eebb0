from django.urls import path

from . import views

app_name = "realstore"
urlpatterns = [
    path("", views.store_list, name="list"),
    path("new/", views.store_new, name="new"),
    path("template.csv", views.columns_template, name="template"),
    path("<int:pk>/", views.store_detail, name="store"),
    path("<int:pk>/import/", views.store_import, name="import"),
    path("<int:pk>/weeks/new/", views.week_new, name="week_new"),
    path("weeks/<int:pk>/cosign/", views.week_cosign, name="cosign"),
]
