from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourMarketConfig(AppConfig):
    name = "cbec_talent.labour_market"
    label = "labour_market"
    verbose_name = _("Labour-market demand")
