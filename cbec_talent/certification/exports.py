"""The cohort's graduation audit as Excel and PDF."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cbec_talent.cohorts.models import Cohort
from cbec_talent.core.excel import SheetSpec, write_workbook
from cbec_talent.core.pdf import render_pdf

from . import selectors
from .services import import_columns


def _yes(ok: bool) -> str:
    return _("yes") if ok else _("no")


def cohort_audit_xlsx(cohort: Cohort) -> bytes:
    summary = selectors.cohort_summary(cohort)
    modules = summary["modules"]
    headers = [
        _("Student number"),
        _("Name"),
        _("Class"),
        *[f"{m}" for m in modules],
        _("Total credits"),
        _("Practice certified"),
        _("Certificates"),
        _("Passed"),
        _("Missing"),
    ]
    rows = []
    for r in summary["results"]:
        credits = {m.module: float(m.earned) for m in r.modules}
        rows.append(
            (
                r.student.number,
                r.student.name,
                r.student.school_class.name,
                *[credits.get(m) for m in modules],
                float(r.total_earned),
                _yes(r.practice_certified),
                "; ".join(h.label for h in r.certificates),
                _yes(r.passed),
                "\n".join(m.text for m in r.missing),
            )
        )
    return write_workbook([(SheetSpec(_("Graduation audit"), headers, (14, 14, 10)), rows)])


def import_template_xlsx() -> bytes:
    headers = [v[-1] for v in import_columns().values()]
    return write_workbook([(SheetSpec(_("Certificates"), headers, (16, 18, 30, 10, 14, 30)), [])])


def cohort_audit_pdf(cohort: Cohort) -> bytes:
    return render_pdf("certification/cohort_audit_pdf.html", {"cohort": cohort, **selectors.cohort_summary(cohort)})
