from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacultyConfig(AppConfig):
    name = "cbec_talent.faculty"
    label = "faculty"
    verbose_name = _("Teacher development")
