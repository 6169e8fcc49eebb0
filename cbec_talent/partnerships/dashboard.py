"""Home-page cards of the alliance: staff see open posts, unplaced applicants and agreements about to expire; an
enterprise tutor their interns; a student the placement."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .access import STAFF_ROLES
from .models import Agreement, InternshipPost, Placement


def cards(user) -> list[dict]:
    out: list[dict] = []
    if has_any_role(user, STAFF_ROLES):
        from cbec_talent.cohorts.models import Student

        today = dt.date.today()
        out.append(
            {
                "key": "open_posts",
                "value": InternshipPost.objects.filter(is_open=True).count(),
                "label": _("Open internship posts"),
                "url": reverse("partnerships:posts"),
            }
        )
        out.append(
            {
                "key": "unplaced_applicants",
                "value": Student.objects.filter(applications__isnull=False, placement__isnull=True).distinct().count(),
                "label": _("Applicants without a placement"),
                "url": reverse("partnerships:placements"),
            }
        )
        out.append(
            {
                "key": "expiring_agreements",
                "value": Agreement.objects.filter(
                    start__lte=today, end__gte=today, end__lte=today + dt.timedelta(90)
                ).count(),
                "label": _("Agreements expiring within 90 days"),
                "url": reverse("partnerships:overview"),
            }
        )
        return out
    if user.has_role("enterprise_tutor"):
        out.append(
            {
                "key": "my_interns",
                "value": Placement.objects.filter(post__enterprise__members=user).count(),
                "label": _("Interns at my enterprise"),
                "url": reverse("partnerships:placements"),
            }
        )
    if user.has_role("student"):
        placement = Placement.objects.filter(student__user=user).select_related("post__enterprise").first()
        out.append(
            {
                "key": "my_placement",
                "value": placement.post.enterprise.name if placement else _("Not placed yet"),
                "label": _("My internship"),
                "url": reverse("partnerships:placement", args=[placement.pk])
                if placement
                else reverse("partnerships:apply"),
            }
        )
    return out
