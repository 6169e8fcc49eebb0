from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the site: backup and restore, health, the worker's heartbeat and the job queue."""

    name = "cbec_talent.operations"
    label = "operations"
    verbose_name = _("Operations")
