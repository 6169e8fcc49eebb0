"""Home-page cards of class selection: staff see the selections in draft, an enterprise tutor their order-class
selections, a student the published selections they were selected in."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import STAFF_ROLES, has_any_role

from .access import selections_for_user
from .models import ClassSelection, SelectionCandidate


def cards(user) -> list[dict]:
    url = reverse("selection:list")
    if has_any_role(user, STAFF_ROLES):
        drafts = ClassSelection.objects.filter(status=ClassSelection.Status.DRAFT).count()
        return [{"key": "draft_selections", "value": drafts, "label": _("Class selections in draft"), "url": url}]
    out: list[dict] = []
    if user.has_role("enterprise_tutor"):
        selections = selections_for_user(user).count()
        if selections:
            out.append(
                {"key": "my_order_classes", "value": selections, "label": _("Order-class selections"), "url": url}
            )
    if user.has_role("student"):
        own = list(
            SelectionCandidate.objects.filter(student__user=user, selection__status=ClassSelection.Status.PUBLISHED)
        )
        if own:
            out.append(
                {
                    "key": "my_selection",
                    "value": sum(c.selected for c in own),
                    "label": _("Class selections you were selected in"),
                    "url": url,
                }
            )
    return out
