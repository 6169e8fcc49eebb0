"""Course objectives (课程目标) and their attainment (课程目标达成度), as Chinese colleges report them for OBE.

Rule (shown in the report): a student's attainment of objective j is
    sum_k w_jk * score_k / sum_k (w_jk * 100)
over the assessment items k linked to the objective (w_jk its points in the objective, score_k the student's
0-100 score; items without a grade are left out), i.e. points earned / points possible. The class's attainment of
the objective is the mean over the students with any graded item; the objective is attained when that reaches
its expected attainment (default 70%). Reads here; writes (objectives, measures) in services below."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.models import pick_language
from cbec_talent.programmes.models import Course

from .models import AssessmentComponent, CourseObjective, Grade, ObjectiveComponent, ObjectiveReport, SchoolClass


@dataclass
class ObjectiveFigure:
    objective: CourseObjective
    links: list[ObjectiveComponent]
    value: float | None  # class attainment, %
    students: int  # students with a graded item
    below: int  # students below the expected attainment
    per_student: dict[int, float | None] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return pick_language(self.objective.text_zh, self.objective.text_en)

    @property
    def target(self) -> float:
        return float(self.objective.target_percent)

    @property
    def attained(self) -> bool:
        return self.value is not None and self.value >= self.target - 1e-9


def class_objectives(school_class: SchoolClass, course: Course) -> dict:
    """Every objective of the course with the class's and each student's attainment (four queries)."""
    objectives = list(course.objectives.order_by("order", "code"))
    links = list(ObjectiveComponent.objects.filter(objective__course=course).select_related("component"))
    students = list(school_class.students.filter(enrolments__course=course).order_by("number"))
    scores = {
        (g.student_id, g.component_id): float(g.score)
        for g in Grade.objects.filter(student__in=students, component__course=course)
    }
    out = []
    for obj in objectives:
        mine = [link for link in links if link.objective_id == obj.pk]
        per_student: dict[int, float | None] = {}
        for s in students:
            got = possible = 0.0
            for link in mine:
                v = scores.get((s.pk, link.component_id))
                if v is not None:
                    got += float(link.weight) * v
                    possible += float(link.weight) * 100
            per_student[s.pk] = round(100 * got / possible, 1) if possible else None
        graded = [v for v in per_student.values() if v is not None]
        value = round(sum(graded) / len(graded), 1) if graded else None
        below = sum(v < float(obj.target_percent) for v in graded)
        out.append(ObjectiveFigure(obj, mine, value, len(graded), below, per_student))
    report = ObjectiveReport.objects.filter(course=course, school_class=school_class).first()
    return {"course": course, "school_class": school_class, "students": students, "objectives": out, "report": report}


@transaction.atomic
def objectives_save(*, course: Course, objectives: list[dict]) -> list[CourseObjective]:
    """Replace the course's objectives: [{code, text_zh, text_en, competencies, requirements, target_percent,
    items: {component code: points}}]; all or nothing, each problem naming the objective and field."""
    components = {c.code: c for c in AssessmentComponent.objects.filter(course=course)}
    problems = []
    codes = set()
    for i, spec in enumerate(objectives, start=1):
        code = str(spec.get("code", "")).strip()
        if not code or code in codes:
            problems.append(Problem(_("Give each objective its own code."), row=i, field="code"))
        codes.add(code)
        if not str(spec.get("text_zh", "")).strip():
            problems.append(Problem(_("Write the objective in Chinese."), row=i, field="text_zh"))
        for item, points in (spec.get("items") or {}).items():
            if item not in components:
                problems.append(
                    Problem(_("No assessment item %(code)s in this course.") % {"code": item}, row=i, field="items")
                )
            elif Decimal(str(points)) <= 0:
                problems.append(Problem(_("Points must be above 0."), row=i, field="items"))
    if problems:
        raise CbecError(problems)
    course.objectives.all().delete()
    out = []
    for order, spec in enumerate(objectives):
        obj = CourseObjective.objects.create(
            course=course,
            code=spec["code"].strip(),
            order=order,
            text_zh=spec["text_zh"].strip(),
            text_en=str(spec.get("text_en", "")).strip(),
            competencies=list(spec.get("competencies") or []),
            requirements=list(spec.get("requirements") or []),
            target_percent=Decimal(str(spec.get("target_percent", 70))),
        )
        for item, points in (spec.get("items") or {}).items():
            ObjectiveComponent.objects.create(objective=obj, component=components[item], weight=Decimal(str(points)))
        out.append(obj)
    return out


@transaction.atomic
def measures_save(*, course: Course, school_class: SchoolClass, measures_zh: str, measures_en: str, actor=None):
    report, _created = ObjectiveReport.objects.get_or_create(course=course, school_class=school_class)
    report.measures_zh, report.measures_en = measures_zh.strip(), measures_en.strip()
    report.written_by = actor if getattr(actor, "pk", None) else None
    report.save()
    return report


def report_docx(figures: dict, lang: str) -> bytes:
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
        doc.add_heading(_("Improvement measures"), level=1)
        report = figures["report"]
        measures = (report.measures_zh if lang.startswith("zh") else report.measures_en) if report else ""
        doc.add_paragraph(measures or str(_("(none written yet)")))
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()
