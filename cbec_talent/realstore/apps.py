from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealStoreConfig(AppConfig):
    name = "cbec_talent.realstore"
    label = "realstore"
    verbose_name = _("Real-store evidence")
