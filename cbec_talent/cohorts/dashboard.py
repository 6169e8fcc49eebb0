"""Home-page cards of the students and attainment app."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .models import Student


def cards(user) -> list[dict]:
    out = []
    if has_any_role(user, ("administrator", "director", "teacher")):
        out.append(
            {
                "key": "students",
                "value": Student.objects.count(),
                "label": _("Students"),
                "url": reverse("cohorts:list"),
            }
        )
    own = Student.objects.filter(user=user).first()
    if own is not None:
        out.append(
            {
                "key": "my_profile",
                "value": own.number,
                "label": _("My competency profile"),
                "url": reverse("cohorts:student", args=[own.pk]),
            }
        )
    return out
