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


def guide(user, flags: set[str]) -> dict | None:
    """A director's first run: the loop of the papers in four steps (import postings -> gap report -> optimiser
    with the demand weights -> programme document), each ticked when this user has done it; offered on the home
    page until dismissed (accounts remembers it per user)."""
    if not has_any_role(user, ("director",)):
        return None
    from cbec_talent.programmes.models import OptimiserRun, Programme

    programme = Programme.objects.order_by("code", "version").first()
    gap = reverse("labour_market:gap") + (f"?programme={programme.pk}" if programme else "")
    imported = PostingImport.objects.filter(created_by=user, status=PostingImport.Status.DONE).exists()
    steps = [
        {
            "key": "import",
            "label": _("Import job postings (CSV or Excel, e.g. a 51job export)"),
            "help": _("Columns are mapped for you; duplicates are dropped; every posting is tagged with competencies."),
            "url": reverse("labour_market:imports"),
            "done": imported,
        },
        {
            "key": "gap",
            "label": _("Read the gap report: what employers ask for against what the programme covers"),
            "help": _("Competencies in demand that no course supports come first."),
            "url": gap,
            "done": "guide:gap" in flags,
        },
        {
            "key": "optimise",
            "label": _("Run the course optimiser with the demand weights"),
            "help": _("The gap report's button proposes courses and semesters from the demand, with the diff."),
            "url": gap + "#optimise-with-demand",
            "done": OptimiserRun.objects.filter(created_by=user).exists(),
        },
        {
            "key": "document",
            "label": _("Print the programme document (人才培养方案)"),
            "help": _("PDF or Excel, from the programme's page."),
            "url": reverse("programmes:detail", args=[programme.pk]) if programme else reverse("programmes:list"),
            "done": "guide:document" in flags,
        },
    ]
    return {
        "key": "first_run",
        "title": _("Your first run: demand → programme, in four steps"),
        "intro": _("The loop that keeps the programme current. Each step is ticked when you have done it."),
        "steps": steps,
        "done": sum(s["done"] for s in steps),
    }
