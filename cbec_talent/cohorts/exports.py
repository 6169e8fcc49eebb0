"""The cohort report as Excel (programme attainment, students x competencies, students at risk) and PDF."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from cbec_talent.core.excel import SheetSpec, write_workbook
from cbec_talent.core.pdf import render_pdf

from . import selectors
from .models import Cohort


def _num(x):
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x


def cohort_report_xlsx(cohort: Cohort) -> bytes:
    fig = selectors.cohort_figures(cohort)
    rows = selectors.programme_rows(fig)
    programme_sheet = (
        SheetSpec(
            _("Programme"),
            [
                _("Competency"),
                _("Name"),
                _("Attainment (%)"),
                _("Target (%)"),
                _("Attained"),
                _("Students assessed"),
                _("How it is computed"),
            ],
            (14, 30, 14, 12, 10, 12, 80),
        ),
        [
            (
                r["code"],
                r["name"],
                r["value"],
                r["target"],
                _("yes") if r["attained"] else _("no"),
                r["assessed"],
                r["explanation"].formula_zh + " / " + r["explanation"].formula_en,
            )
            for r in rows
        ],
    )
    comp = fig.result.competency if fig.result is not None else None
    student_rows = []
    for i, s in enumerate(fig.students):
        values = [
            _num(round(100 * float(v), 1)) if comp is not None else None for v in (comp[i] if comp is not None else [])
        ]
        student_rows.append((s.number, s.name, s.school_class.name, *values))
    students_sheet = (
        SheetSpec(_("Students"), [_("Student number"), _("Name"), _("Class"), *fig.competencies]),
        student_rows,
    )
    risk_sheet = (
        SheetSpec(_("At risk"), [_("Student number"), _("Name"), _("Competencies below the threshold")], (14, 16, 80)),
        [
            (r["student"].number, r["student"].name, "; ".join(f"{c} {v}%" for c, _n, v in r["competencies"]))
            for r in selectors.risk_rows(fig)
        ],
    )
    return write_workbook([programme_sheet, students_sheet, risk_sheet])


def cohort_report_pdf(cohort: Cohort) -> bytes:
    fig = selectors.cohort_figures(cohort)
    return render_pdf(
        "cohorts/cohort_report_pdf.html",
        {"cohort": cohort, "fig": fig, "rows": selectors.programme_rows(fig), "risks": selectors.risk_rows(fig)},
    )
