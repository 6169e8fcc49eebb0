"""Reads of the faculty app: the teacher list with each teacher's derived dual-qualified status, the figures
of the list page, a teacher's ledger, and the courses taught by enterprise part-time teachers."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q
from django.utils.translation import gettext as _

from cbec_talent.programmes.models import Course

from .models import PracticeRecord, Teacher
from .rules import DualStatus, current_rule, dual_status


@dataclass
class TeacherRow:
    teacher: Teacher
    status: DualStatus
    training_hours: int
    practice_hours_total: int


def teachers_with_ledger():
    return Teacher.objects.select_related("user", "enterprise").prefetch_related(
        "trainings",
        Prefetch("practices", queryset=PracticeRecord.objects.select_related("enterprise")),
        "qualifications",
        Prefetch("courses", queryset=Course.objects.select_related("programme").order_by("programme", "order")),
    )


def status_of(teacher: Teacher, today: dt.date | None = None) -> DualStatus:
    return dual_status(
        qualifications=teacher.qualifications.all(), practices=teacher.practices.all(), today=today, rule=current_rule()
    )


def teacher_rows(*, kind: str = "", dual: str = "", today: dt.date | None = None) -> list[TeacherRow]:
    """Every teacher (optionally one kind) with their derived status; dual = "yes" / "no" filters on it."""
    qs = teachers_with_ledger()
    if kind in Teacher.Kind.values:
        qs = qs.filter(kind=kind)
    rows = []
    for teacher in qs:
        status = status_of(teacher, today)
        if (dual == "yes" and not status.dual) or (dual == "no" and status.dual):
            continue
        rows.append(
            TeacherRow(
                teacher,
                status,
                sum(t.hours for t in teacher.trainings.all()),
                sum(p.hours for p in teacher.practices.all()),
            )
        )
    return rows


def figures(rows: list[TeacherRow]) -> dict:
    """Share of dual-qualified school teachers (the national indicator counts full-time school teachers),
    enterprise practice hours per year (a record counts in the year it started), part-time teachers per
    enterprise. Computed from the rows shown, so the filters apply to the figures too."""
    school = [r for r in rows if r.teacher.kind == Teacher.Kind.SCHOOL]
    dual_school = sum(1 for r in school if r.status.dual)
    per_year: dict[int, int] = defaultdict(int)
    for r in rows:
        for p in r.teacher.practices.all():
            per_year[p.start.year] += p.hours
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    per_enterprise = Counter(
        r.teacher.enterprise.name for r in rows if r.teacher.kind == Teacher.Kind.ENTERPRISE and r.teacher.enterprise
    )
    return {
        "teachers": len(rows),
        "school": len(school),
        "part_time": len(rows) - len(school),
        "dual_school": dual_school,
        "dual_share": round(100 * dual_school / len(school), 1) if school else None,
        "dual_all": sum(1 for r in rows if r.status.dual),
        "practice_years": [{"year": y, "hours": per_year.get(y, 0)} for y in years],
        "per_enterprise": sorted(per_enterprise.items(), key=lambda kv: (-kv[1], kv[0])),
        "chart": {
            "years": [str(y) for y in years],
            "hours": [per_year.get(y, 0) for y in years],
            "label": _("Enterprise practice hours"),
        },
    }


def dual_share() -> tuple[int, int]:
    """(dual-qualified school teachers, school teachers): three queries, for the home-page card."""
    school = Teacher.objects.filter(kind=Teacher.Kind.SCHOOL).prefetch_related("qualifications", "practices")
    teachers = list(school)
    return sum(1 for t in teachers if status_of(t).dual), len(teachers)


def teacher_detail(pk: int) -> Teacher | None:
    return teachers_with_ledger().filter(pk=pk).first()


def courses_with_part_time_teachers(programme=None):
    """Courses that have at least one enterprise part-time teacher, with those teachers."""
    part_time = Teacher.objects.filter(kind=Teacher.Kind.ENTERPRISE).select_related("enterprise")
    qs = Course.objects.filter(programme=programme) if programme is not None else Course.objects.all()
    return (
        qs.filter(teachers__kind=Teacher.Kind.ENTERPRISE)
        .distinct()
        .select_related("programme", "module")
        .prefetch_related(Prefetch("teachers", queryset=part_time, to_attr="part_time_teachers"))
        .order_by("programme__code", "programme__version", "order")
    )


def practical_courses_without_part_time_teachers(programme=None):
    """Practical courses (taught in an enterprise or the teaching factory, or at least half practice hours)
    that no enterprise part-time teacher teaches yet: where papers 000 and 003 want one."""
    practical = Q(teaching_mode__in=[Course.Mode.ENTERPRISE, Course.Mode.TEACHING_FACTORY]) | Q(
        practice_hours__gt=0, practice_hours__gte=F("theory_hours")
    )
    qs = Course.objects.filter(programme=programme) if programme is not None else Course.objects.all()
    return (
        qs.annotate(part_time=Count("teachers", filter=Q(teachers__kind=Teacher.Kind.ENTERPRISE)))
        .filter(practical, part_time=0)
        .select_related("programme", "module")
        .order_by("programme__code", "programme__version", "order")
    )


def programmes_taught():
    """Programmes with at least one course linked to a teacher, the sample programme first."""
    from cbec_talent.programmes.models import Programme

    return (
        Programme.objects.filter(courses__teachers__isnull=False).distinct().order_by("-is_sample", "code", "version")
    )
