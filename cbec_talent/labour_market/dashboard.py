"""Home-page cards of the demand app."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .models import Posting


def cards(user) -> list[dict]:
    if not has_any_role(user, ("administrator", "director", "teacher")):
        return []
    return [
        {
            "key": "postings",
            "value": Posting.objects.count(),
            "label": _("Job postings analysed"),
            "url": reverse("labour_market:dashboard"),
        }
    ]
