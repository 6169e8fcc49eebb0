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


def workbench(user) -> list[dict]:
    """Director: the latest demand-shift alerts (what moved, by how much), linked to each alert's page."""
    if not has_any_role(user, ("director", "administrator")):
        return []
    from .selectors import latest_alerts

    rows = []
    for alert in latest_alerts(3):
        biggest = ", ".join(f"{s['code']} {s['change']:+.1f}" for s in alert.shifts[:3])
        rows.append(
            {
                "text": _("%(file)s: %(n)d changes in demand")
                % {"file": alert.posting_import.file_name, "n": len(alert.shifts)},
                "detail": biggest,
                "url": reverse("labour_market:alert", args=[alert.pk]),
                "state": "due",
                "data": f"alert:{alert.pk}",
            }
        )
    return [
        {
            "role": "director",
            "key": "demand_shifts",
            "order": 10,
            "title": _("Demand shifts"),
            "figure": str(len(rows)),
            "rows": rows,
            "empty": _("No shift in demand since the previous import."),
            "link": {"url": reverse("labour_market:alert_settings"), "label": _("Alert settings")},
        }
    ]
