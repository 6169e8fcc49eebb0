"""Home-page cards of the practice simulator."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .models import SimulationSession


def cards(user) -> list[dict]:
    running = SimulationSession.objects.filter(status="running")
    if has_any_role(user, ("administrator", "director", "teacher")):
        return [
            {
                "key": "sessions",
                "value": running.count(),
                "label": _("Practice sessions running"),
                "url": reverse("practice:sessions"),
            }
        ]
    if user.has_role("student"):
        mine = running.filter(teams__members=user).distinct().count()
        return [
            {
                "key": "my_sessions",
                "value": mine,
                "label": _("My practice sessions running"),
                "url": reverse("practice:sessions"),
            }
        ]
    return []
