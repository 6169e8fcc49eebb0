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


def workbench(user) -> list[dict]:
    """Director: each programme's findings (validation errors and warnings, competencies of the target
    positions that no course covers), for the five programmes changed last."""
    if not user.has_role("director", "administrator"):
        return []
    from cbec_talent.core.models import pick_language
    from cbec_talent.engines.curriculum import coverage, validate_programme

    from .services import programme_document

    rows = []
    for programme in Programme.objects.order_by("-updated_at", "code")[:5]:
        doc = programme_document(programme)
        issues = validate_programme(doc)
        errors = [i for i in issues if i.severity == "error"]
        uncovered = coverage(doc).uncovered
        url = reverse("programmes:detail", args=[programme.pk])
        values = {"errors": len(errors), "warnings": len(issues) - len(errors), "uncovered": len(uncovered)}
        rows.append(
            {
                "text": f"{programme.code} {programme.version} {programme.name}",
                "detail": _("%(errors)d errors, %(warnings)d warnings, %(uncovered)d required competencies uncovered")
                % values,
                "url": url,
                "state": "due" if errors or uncovered else "ok",
                "data": f"programme:{programme.code}:{programme.version}",
            }
        )
        for issue in (errors or issues)[:2]:
            rows.append(
                {
                    "text": pick_language(issue.message.zh, issue.message.en),
                    "url": url,
                    "state": "due" if issue.severity == "error" else "info",
                    "data": f"finding:{issue.rule}",
                }
            )
    return [
        {
            "role": "director",
            "key": "programme_findings",
            "order": 20,
            "title": _("Programme findings"),
            "rows": rows,
            "empty": _("No programme yet."),
            "link": {"url": reverse("programmes:list"), "label": _("All programmes")},
        }
    ]
