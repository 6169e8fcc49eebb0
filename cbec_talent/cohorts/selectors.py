"""Reads of cohorts, and the attainment engine's figures for the report pages (computed from stored grades)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Prefetch

from cbec_talent.competencies.models import Competency, Position, RequirementCompetency
from cbec_talent.core.models import pick_language
from cbec_talent.engines.attainment import (
    Attainment,
    AttainmentModel,
    Method,
    RollupConfig,
    SupportMatrix,
    compile_model,
    explain,
    explain_cohort,
    roll_up,
    scores_from_records,
)
from cbec_talent.programmes.models import Course, Programme

from .engine_io import course_plan
from .models import (
    AssessmentComponent,
    AttainmentSetting,
    Cohort,
    CourseObjective,
    Enrolment,
    Grade,
    ObjectiveComponent,
    ObjectiveReport,
    SchoolClass,
    Student,
)


def cohort_list():
    return Cohort.objects.select_related("programme").annotate(
        n_classes=Count("classes", distinct=True), n_students=Count("classes__students", distinct=True)
    )


def cohort_classes(cohort: Cohort):
    return cohort.classes.annotate(n_students=Count("students")).order_by("name")


def cohort_enrolments(cohort: Cohort) -> list[dict]:
    """Enrolment counts of the cohort's students per term and course (term order, then programme order)."""
    counts = (
        Enrolment.objects.filter(student__school_class__cohort=cohort)
        .values("term", "course")
        .annotate(n=Count("id"))
        .order_by()
    )
    courses = Course.objects.in_bulk({r["course"] for r in counts})
    rows = [{"term": r["term"], "course": courses[r["course"]], "students": r["n"]} for r in counts]
    return sorted(rows, key=lambda r: (r["term"], r["course"].order, r["course"].code))


def student_enrolments(student: Student):
    return student.enrolments.select_related("course").order_by("term", "course__order")


def attainment_setting(programme: Programme) -> AttainmentSetting:
    setting = AttainmentSetting.objects.filter(programme=programme).first()
    return setting or AttainmentSetting(programme=programme)


def rollup_config(setting: AttainmentSetting) -> RollupConfig:
    return RollupConfig(
        method=Method(setting.method),
        threshold=float(setting.threshold_percent) / 100.0,
        target=float(setting.target_percent) / 100.0,
        risk_threshold=float(setting.risk_percent) / 100.0,
    )


def planned_courses(programme: Programme) -> list[Course]:
    """The programme's courses that have an assessment plan, with their components, in programme order."""
    comps = Prefetch("assessment_components", queryset=AssessmentComponent.objects.order_by("order", "id"))
    courses = programme.courses.select_related("module").prefetch_related(comps).order_by("order")
    return [c for c in courses if c.assessment_components.all()]


def plan_overview(programme: Programme) -> list[tuple[Course, list[AssessmentComponent], float]]:
    comps = Prefetch("assessment_components", queryset=AssessmentComponent.objects.order_by("order", "id"))
    rows = []
    for c in programme.courses.prefetch_related(comps).order_by("order"):
        parts = list(c.assessment_components.all())
        rows.append((c, parts, float(sum(p.weight for p in parts))))
    return rows


@dataclass
class CohortFigures:
    """A group of students rolled up by the engine: students in row order, the result, names for display."""

    programme: Programme
    setting: AttainmentSetting
    students: list[Student]
    courses: list[Course]
    model: AttainmentModel | None = None
    result: Attainment | None = None
    names: dict[str, str] = field(default_factory=dict)

    @property
    def competencies(self) -> tuple[str, ...]:
        return self.model.competencies if self.model else ()

    def row_of(self, student: Student) -> int:
        return next(i for i, s in enumerate(self.students) if s.pk == student.pk)


def figures(programme: Programme, students) -> CohortFigures:
    """Compile the programme's stored plans and roll up the students' stored grades (one vectorised pass)."""
    setting = attainment_setting(programme)
    students = list(students)
    courses = planned_courses(programme)
    names = {c.code: c.name for c in Competency.objects.filter(framework_id=programme.framework_id)}
    fig = CohortFigures(programme, setting, students, courses, names=names)
    if not courses:
        return fig
    codes = tuple(sorted({code for c in courses for code in c.supports}))
    support = SupportMatrix(
        courses=tuple(c.code for c in courses),
        competencies=codes,
        strengths=tuple(tuple(c.supports.get(code, "") for code in codes) for c in courses),
    )
    plans = [course_plan(c.code, c.assessment_components.all()) for c in courses]
    fig.model = compile_model(plans, support, rollup_config(setting))
    if not students:  # the engine needs at least one student row
        return fig
    records = Grade.objects.filter(student__in=students, component__course__in=courses).values_list(
        "student__number", "component__course__code", "component__code", "score"
    )
    tensor = scores_from_records(
        [s.number for s in students], fig.model, ((s, c, k, float(v)) for s, c, k, v in records), dtype=np.float64
    )
    fig.result = roll_up(tensor, fig.model)
    return fig


def cohort_students(cohort: Cohort):
    return Student.objects.filter(school_class__cohort=cohort).select_related("school_class").order_by("number")


def cohort_figures(cohort: Cohort) -> CohortFigures:
    return figures(cohort.programme, cohort_students(cohort))


def class_figures(school_class: SchoolClass) -> CohortFigures:
    return figures(school_class.cohort.programme, school_class.students.order_by("number"))


def _pct(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else round(100.0 * float(x), 1)


def heatmap(fig: CohortFigures) -> dict:
    """Students x competencies, % of full marks (ECharts heatmap cells [x, y, value]); NaN cells left out."""
    comp = fig.result.competency if fig.result is not None else np.zeros((len(fig.students), 0))
    return {
        "competencies": [f"{c} {fig.names.get(c, '')}".strip() for c in fig.competencies],
        "students": [f"{s.number} {s.name}" for s in fig.students],
        "cells": [[j, i, _pct(v)] for i, row in enumerate(comp) for j, v in enumerate(row) if math.isfinite(v)],
    }


def programme_rows(fig: CohortFigures) -> list[dict]:
    """Programme-level attainment per competency against the target, each with its explanation."""
    if fig.result is None or not fig.students:
        return []
    cohort = fig.result.cohort()
    rows = []
    for j, code in enumerate(cohort.competencies):
        ex = explain_cohort(fig.result, code)
        rows.append(
            {
                "code": code,
                "name": fig.names.get(code, ""),
                "value": _pct(cohort.values[j]),
                "target": _pct(cohort.target),
                "attained": bool(cohort.attained[j]),
                "assessed": int(cohort.assessed[j]),
                "explanation": ex,
            }
        )
    return rows


def risk_rows(fig: CohortFigures) -> list[dict]:
    if fig.result is None:
        return []
    return [
        {
            "student": fig.students[flag.student_index],
            "competencies": [(code, fig.names.get(code, ""), _pct(v)) for code, v in flag.competencies],
        }
        for flag in fig.result.at_risk()
    ]


def supporting_courses(programme: Programme, code: str) -> list[tuple[Course, str]]:
    order = {"H": 0, "M": 1, "L": 2}
    rows = [(c, c.supports[code]) for c in programme.courses.order_by("order") if code in c.supports]
    return sorted(rows, key=lambda r: order.get(r[1], 3))


def programme_positions(programme: Programme) -> list[Position]:
    codes = [p if isinstance(p, str) else p.get("code") for p in programme.target_positions or []]
    qs = Position.objects.filter(framework_id=programme.framework_id, requirements__links__isnull=False).distinct()
    positions = list(qs.order_by("order"))
    wanted = [p for p in positions if p.code in codes]
    return wanted or positions


def position_targets(position: Position) -> dict[str, float]:
    """Competency code -> target fraction (highest level rank required / 3)."""
    out: dict[str, float] = {}
    links = RequirementCompetency.objects.filter(requirement__position=position).select_related("competency", "level")
    for link in links:
        out[link.competency.code] = max(out.get(link.competency.code, 0.0), min(1.0, link.level.rank / 3.0))
    return out


def student_profile(student: Student, position: Position | None, fig: CohortFigures | None = None) -> dict:
    """Radar (student vs the position's required levels), gaps with their supporting courses, course scores.
    ``fig``: the class figures when the caller has them already."""
    school_class = student.school_class
    fig = fig or class_figures(school_class)
    i = fig.row_of(student)
    values = {}
    if fig.result is not None:
        values = {c: float(fig.result.competency[i, j]) for j, c in enumerate(fig.competencies)}
    targets = position_targets(position) if position else {}
    codes = sorted(targets) if targets else list(fig.competencies)
    radar = {
        "indicators": [{"name": c, "max": 100} for c in codes],
        "names": [fig.names.get(c, "") for c in codes],
        "student": [_pct(values.get(c, float("nan"))) or 0 for c in codes],
        "target": [_pct(targets.get(c, 0.0)) for c in codes],
        "assessed": [_pct(values.get(c, float("nan"))) is not None for c in codes],
    }
    gaps = []
    for c in codes:
        v, t = values.get(c, float("nan")), targets.get(c)
        if t is not None and (not math.isfinite(v) or v < t - 1e-9):
            gaps.append(
                {
                    "code": c,
                    "name": fig.names.get(c, ""),
                    "value": _pct(v),
                    "target": _pct(t),
                    "courses": supporting_courses(fig.programme, c),
                }
            )
    competencies = [
        {"code": c, "name": fig.names.get(c, ""), "value": _pct(values[c]), "target": _pct(targets.get(c))}
        for c in fig.competencies
    ]
    course_rows = []
    if fig.result is not None:
        for k, course in enumerate(fig.courses):
            course_rows.append((course, _pct(fig.result.course_values[i, k])))
    return {
        "figures": fig,
        "radar": radar,
        "gaps": gaps,
        "competencies": competencies,
        "course_rows": course_rows,
        "enrolments": student_enrolments(student),
    }


def student_explanation(student: Student, code: str):
    fig = class_figures(student.school_class)
    if fig.result is None or code not in fig.competencies:
        return fig, None
    return fig, explain(fig.result, fig.row_of(student), code)


def grade_grid(school_class: SchoolClass, course: Course) -> dict:
    students = list(school_class.students.order_by("number"))
    components = list(course.assessment_components.order_by("order", "id"))
    grades = list(Grade.objects.filter(student__school_class=school_class, component__course=course))
    scores = {(g.student_id, g.component_id): g.score for g in grades}
    rows = [(s, [(c, scores.get((s.pk, c.pk))) for c in components]) for s in students]
    # what the grid was opened with, cell by cell (optimistic locking: see services.grades_save)
    versions = {(g.student_id, g.component_id): g.version for g in grades}
    seen = [(s, [(c, v, v, versions.get((s.pk, c.pk), 0)) for c, v in cells]) for s, cells in rows]
    return {"students": students, "components": components, "rows": rows, "seen_rows": seen}


def practice_options(course) -> dict:
    """Simulation components of a course and the finished simulator sessions whose scores can fill them."""
    from cbec_talent.practice.models import SimulationSession

    components = [c for c in course.assessment_components.order_by("order", "id") if c.kind == "simulation"]
    sessions = list(SimulationSession.objects.filter(status="finished").order_by("-id")[:50]) if components else []
    return {"simulation_components": components, "finished_sessions": sessions}


def _openings(students) -> dict[int, dict[str, object]]:
    from .models import StageOpening

    out: dict[int, dict[str, object]] = {}
    for o in StageOpening.objects.filter(student__in=students).select_related("opened_by"):
        out.setdefault(o.student_id, {})[o.stage] = o
    return out


def gates_of(fig: CohortFigures, student: Student) -> list:
    """One student's five-in-one gates, from figures that hold the student (class or cohort figures)."""
    from .stages import gates

    return gates(fig, fig.row_of(student), _openings([student]).get(student.pk, {}))


def student_gates(student: Student) -> list:
    return gates_of(class_figures(student.school_class), student)


def cohort_gate_rows(fig: CohortFigures) -> list[dict]:
    """Every student of the figures with their five gates and current stage (one query for the openings)."""
    from .stages import current_stage, gates

    openings = _openings(fig.students)
    rows = []
    for i, student in enumerate(fig.students):
        student_gates_ = gates(fig, i, openings.get(student.pk, {}))
        rows.append({"student": student, "gates": student_gates_, "current": current_stage(student_gates_)})
    return rows


# Course objectives (课程目标) and their attainment (课程目标达成度), as Chinese colleges report them for OBE.
#
# Rule (shown in the report): a student's attainment of objective j is
#     sum_k w_jk * score_k / sum_k (w_jk * 100)
# over the assessment items k linked to the objective (w_jk its points in the objective, score_k the student's
# 0-100 score; items without a grade are left out), i.e. points earned / points possible. The class's attainment of
# the objective is the mean over the students with any graded item; the objective is attained when that reaches
# its expected attainment (default 70%). Writes (objectives, measures) are in services, the Word report in exports.


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
    student_rows = []
    for s in students:
        values = [f.per_student.get(s.pk) for f in out]
        below = [v is not None and v < f.target - 1e-9 for v, f in zip(values, out, strict=True)]
        student_rows.append({"student": s, "values": values, "below": below})
    return {
        "course": course,
        "school_class": school_class,
        "students": students,
        "objectives": out,
        "student_rows": student_rows,
        "report": report,
    }


def objective_editor(course: Course, blank_rows: int = 2) -> dict:
    """The course's objectives as editable rows (codes joined by commas, the points per assessment item), with
    ``blank_rows`` empty rows to add objectives."""
    components = list(course.assessment_components.order_by("order", "code"))
    rows = []
    for obj in course.objectives.prefetch_related("links__component").order_by("order", "code"):
        points = {link.component.code: link.weight for link in obj.links.all()}
        rows.append(
            {
                "code": obj.code,
                "text_zh": obj.text_zh,
                "text_en": obj.text_en,
                "competencies": ", ".join(obj.competencies),
                "requirements": ", ".join(obj.requirements),
                "target_percent": obj.target_percent,
                "points": [(c.code, points.get(c.code, "")) for c in components],
            }
        )
    blank = {"code": "", "text_zh": "", "text_en": "", "competencies": "", "requirements": "", "target_percent": 70}
    for _i in range(blank_rows):
        rows.append({**blank, "points": [(c.code, "") for c in components]})
    return {"course": course, "components": components, "rows": rows}
