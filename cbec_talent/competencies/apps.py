from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    name = "cbec_talent.competencies"
    label = "competencies"
    verbose_name = _("Competency frameworks")
