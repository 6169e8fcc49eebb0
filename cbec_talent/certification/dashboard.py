"""Home-page workbench panels of the double-certificate graduation audit: a student's "what is still
missing", the director's audit of each cohort."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cbec_talent.cohorts.models import Cohort, Student
from cbec_talent.core.access import has_any_role

from .audit import cohort_audit, graduation_audit


def _text(item) -> str:
    return item.message_en if (get_language() or "").lower().startswith("en") else item.message_zh


def workbench(user) -> list[dict]:
    out = []
    if user.has_role("student"):
        student = Student.objects.filter(user=user).select_related("school_class__cohort__programme__framework").first()
        if student is not None:
            result = graduation_audit(student)
            out.append(
                {
                    "role": "student",
                    "key": "my_graduation",
                    "order": 50,
                    "title": _("Double certificate: what is still missing"),
                    "figure": _("passed") if result.passed else str(len(result.missing)),
                    "rows": [{"text": _text(m), "state": "due", "data": f"missing:{m.code}"} for m in result.missing],
                    "empty": _("Nothing: you meet every graduation requirement."),
                    "link": {"url": reverse("certification:me"), "label": _("My graduation audit")},
                }
            )
    if has_any_role(user, ("director", "administrator")):
        rows = []
        for cohort in Cohort.objects.select_related("programme").order_by("-intake_year", "name")[:3]:
            results = cohort_audit(cohort)
            counts = {
                "passed": sum(r.passed for r in results),
                "students": len(results),
                "credits": sum(not r.credits_ok for r in results),
                "practice": sum(not r.practice_certified for r in results),
                "certificate": sum(not r.certificates for r in results),
            }
            rows.append(
                {
                    "text": _("%(cohort)s: %(passed)d of %(students)d pass")
                    % {"cohort": f"{cohort.intake_year} {cohort.name}", **counts},
                    "detail": _(
                        "missing credits: %(credits)d, practice not certified: %(practice)d, no certificate: "
                        "%(certificate)d"
                    )
                    % counts,
                    "url": reverse("certification:cohort", args=[cohort.pk]),
                    "state": "ok" if counts["passed"] == counts["students"] else "due",
                    "data": f"audit:{cohort.pk}:{counts['passed']}:{counts['students']}",
                }
            )
        out.append(
            {
                "role": "director",
                "key": "graduation_audit",
                "order": 30,
                "title": _("Graduation audit of the cohorts"),
                "rows": rows,
                "empty": _("No cohort yet."),
            }
        )
    return out
