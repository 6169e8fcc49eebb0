"""The cohort report as Excel (programme attainment, students x competencies, students at risk) and PDF."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from cbec_talent.core.excel import SheetSpec, write_workbook
from cbec_talent.core.models import pick_language
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


def objective_report_docx(figures: dict, lang: str) -> bytes:
    """The report as a Word document (python-docx), in ``lang``."""
    import io

    from django.utils import translation
    from docx import Document
    from docx.oxml.ns import qn

    with translation.override(lang):
        doc = Document()
        style = doc.styles["Normal"]
        style.font.name = "Noto Sans CJK SC"
        style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
        course, klass = figures["course"], figures["school_class"]
        doc.add_heading(_("Course objective attainment report"), level=0)
        doc.add_paragraph(
            _("Course: %(course)s · Class: %(klass)s · Students: %(n)d")
            % {"course": f"{course.code} {course.name}", "klass": klass.name, "n": len(figures["students"])}
        )
        if figures["report"] and figures["report"].term:
            doc.add_paragraph(f"{_('Term')}: {figures['report'].term}")
        doc.add_paragraph(
            _("Attainment of an objective = points earned / points possible over its assessment items; the class "
              "value is the mean over its students.")
        )  # fmt: skip
        table = doc.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        head = [
            _("Objective"),
            _("Competencies"),
            _("Graduation requirements"),
            _("Assessment items (points)"),
            _("Attainment"),
            _("Expected"),
        ]
        for cell, text in zip(table.rows[0].cells, head, strict=True):
            cell.text = str(text)
        for f in figures["objectives"]:
            cells = table.add_row().cells
            cells[0].text = f"{f.objective.code} {pick_language(f.objective.text_zh, f.objective.text_en)}"
            cells[1].text = ", ".join(f.objective.competencies)
            cells[2].text = ", ".join(f.objective.requirements)
            cells[3].text = ", ".join(f"{link.component.code} ({link.weight:g})" for link in f.links)
            cells[4].text = "—" if f.value is None else f"{f.value:g}%"
            cells[5].text = f"{f.target:g}%"
        doc.add_heading(_("Each student's attainment"), level=1)
        grid = doc.add_table(rows=1, cols=1 + len(figures["objectives"]))
        grid.style = "Table Grid"
        for cell, text in zip(
            grid.rows[0].cells, [str(_("Student")), *(f.objective.code for f in figures["objectives"])], strict=True
        ):
            cell.text = text
        for row in figures["student_rows"]:
            cells = grid.add_row().cells
            cells[0].text = f"{row['student'].number} {row['student'].name}"
            for cell, v in zip(cells[1:], row["values"], strict=True):
                cell.text = "—" if v is None else f"{v:g}%"
        doc.add_heading(_("Improvement measures"), level=1)
        report = figures["report"]
        measures = (report.measures_zh if lang.startswith("zh") else report.measures_en) if report else ""
        doc.add_paragraph(measures or str(_("(none written yet)")))
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()
