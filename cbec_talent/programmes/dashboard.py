"""Home-page cards of the programme designer."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .access import READ_ROLES
from .models import Programme


def cards(user) -> list[dict]:
    if not user.has_role(*READ_ROLES):
        return []
    return [
        {
            "key": "programmes",
            "value": Programme.objects.count(),
            "label": _("Talent-training programmes"),
            "url": reverse("programmes:list"),
        }
    ]
