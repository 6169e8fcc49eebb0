from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cbec_talent.accounts"
    label = "accounts"
    verbose_name = _("Accounts and audit")

    def ready(self):
        from . import signals  # noqa: F401
