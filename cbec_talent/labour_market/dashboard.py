"""Home-page cards of the demand app."""

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .models import PostingImport


def cards(user) -> list[dict]:
    if not has_any_role(user, ("administrator", "director", "teacher")):
        return []
    return [
        {
            "key": "postings",
            "value": PostingImport.objects.filter(status=PostingImport.Status.DONE).aggregate(n=Sum("rows_stored"))["n"]
            or 0,
            "label": _("Job postings analysed"),
            "url": reverse("labour_market:dashboard"),
        }
    ]
