from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from cbec_talent.accounts import views as account_views
from cbec_talent.api import api
from cbec_talent.operations import views as operations_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("cbec_talent.accounts.urls")),
    path("frameworks/", include("cbec_talent.competencies.urls")),
    path("programmes/", include("cbec_talent.programmes.urls")),
    path("demand/", include("cbec_talent.labour_market.urls")),
    path("cohorts/", include("cbec_talent.cohorts.urls")),
    path("practice/", include("cbec_talent.practice.urls")),
    path("partners/selections/", include("cbec_talent.selection.urls")),
    path("partners/", include("cbec_talent.partnerships.urls")),
    path("certificates/", include("cbec_talent.certification.urls")),
    path("faculty/", include("cbec_talent.faculty.urls")),
    path("creating-space/", include("cbec_talent.innovation.urls")),
    path("credentials/", include("cbec_talent.credentials.urls")),
    path("real-store/", include("cbec_talent.realstore.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", operations_views.healthz, name="healthz"),
    path("operations/", include("cbec_talent.operations.urls")),
]
