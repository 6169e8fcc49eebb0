"""Reads of the creating space: the filtered project library, its figures, team suggestions (engine
engines/matching/teams.py on the students' attainment), a student's record and the competition results."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Prefetch, Q

from cbec_talent.cohorts.models import Student
from cbec_talent.competencies.models import Competency
from cbec_talent.competencies.selectors import default_framework
from cbec_talent.engines.matching.teams import (
    TeamSuggestion,
    explain_team,
    strongest_individuals,
    suggest_team,
    team_problem,
)

from .models import Competition, Entry, Project, Team, TeamMember

COVER_TARGET = 0.7
"""Attainment at which a student fully meets a project's need (the default programme attainment target, 70%)."""

ACTIVE = (Project.Status.OPEN, Project.Status.RUNNING)


def competency_names(codes=None) -> dict[str, str]:
    qs = Competency.objects.filter(framework=default_framework())
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return {c.code: c.name for c in qs}


def project_list(projects, *, kind: str = "", status: str = "", competency: str = "", q: str = ""):
    """The user's visible projects filtered, with teams and mentors loaded in a fixed number of queries."""
    if kind:
        projects = projects.filter(kind=kind)
    if status:
        projects = projects.filter(status=status)
    if q:
        projects = projects.filter(Q(title__icontains=q) | Q(description__icontains=q))
    projects = projects.annotate(n_teams=Count("teams", distinct=True)).prefetch_related(
        "school_mentors", "enterprise_mentors"
    )
    rows = list(projects)
    if competency:  # JSON list membership, portable across SQLite and PostgreSQL
        rows = [p for p in rows if competency in p.competencies]
    return rows


def figures(projects) -> dict:
    """Figures over the visible projects: projects, active teams, students on teams, awards by level."""
    ids = list(projects.values_list("pk", flat=True))
    active_teams = Team.objects.filter(project_id__in=ids, project__status__in=ACTIVE).count()
    students = TeamMember.objects.filter(project_id__in=ids).values("student").distinct().count()
    counts = (
        Entry.objects.filter(team__project_id__in=ids)
        .exclude(award__in=["", Entry.Award.PARTICIPATION])
        .values("competition__level", "award")
        .annotate(n=Count("id"))
        .order_by()
    )
    table = {(r["competition__level"], r["award"]): r["n"] for r in counts}
    levels = list(Competition.Level.choices)
    awards = [a for a in Entry.Award.choices if a[0] != Entry.Award.PARTICIPATION]
    chart = {
        "levels": [str(label) for _code, label in levels],
        "series": [
            {"name": str(label), "data": [table.get((lv, code), 0) for lv, _l in levels]} for code, label in awards
        ],
    }
    return {
        "projects": len(ids),
        "active_teams": active_teams,
        "students": students,
        "awards": sum(table.values()),
        "chart": chart,
    }


def project_teams(project: Project):
    members = Prefetch(
        "memberships",
        queryset=TeamMember.objects.select_related("student__school_class__cohort").order_by("student__number"),
    )
    entries = Prefetch("entries", queryset=Entry.objects.select_related("competition"))
    return project.teams.prefetch_related(members, entries).order_by("name")


def attainment_matrix(students: list[Student], codes: list[str]) -> np.ndarray:
    """Students x codes attainment 0..1 from stored grades (NaN where not yet assessed), per programme."""
    from cbec_talent.cohorts.selectors import figures as cohort_figures

    out = np.full((len(students), len(codes)), np.nan)
    column = {c: j for j, c in enumerate(codes)}
    by_programme: dict[int, list[int]] = {}
    for i, s in enumerate(students):
        by_programme.setdefault(s.school_class.cohort.programme_id, []).append(i)
    for rows in by_programme.values():
        group = [students[i] for i in rows]
        fig = cohort_figures(group[0].school_class.cohort.programme, group)
        if fig.result is None:
            continue
        values = np.asarray(fig.result.competency, dtype=np.float64)
        for j_src, code in enumerate(fig.competencies):
            if code in column:
                out[rows, column[code]] = values[:, j_src]
    return out


def candidates(project: Project, school_class=None):
    """Students not yet on a team of the project (optionally one class), by student number."""
    taken = TeamMember.objects.filter(project=project).values("student")
    qs = Student.objects.exclude(pk__in=taken).select_related("school_class__cohort__programme")
    if school_class is not None:
        qs = qs.filter(school_class=school_class)
    return list(qs.order_by("number"))


@dataclass
class Suggestion:
    students: list[Student]
    codes: list[str]
    names: dict[str, str]
    result: TeamSuggestion
    naive_total: float
    rows: list[dict]


def _rows(result: TeamSuggestion, students: list[Student], matrix: np.ndarray, codes: list[str]) -> list[dict]:
    out = []
    for reason in result.reasons:
        i = reason.index
        out.append(
            {
                "student": students[i],
                "gain": round(reason.gain, 2),
                "brings": [{"code": c, "met": round(100 * v)} for c, v in reason.brings],
                "attainment": [
                    None if not np.isfinite(matrix[i, j]) else round(100 * float(matrix[i, j]))
                    for j in range(len(codes))
                ],
            }
        )
    return out


def suggest(project: Project, k: int, school_class=None) -> Suggestion | None:
    """The engine's complementary team of k among the free students, with the k strongest for comparison."""
    codes = list(project.competencies)
    students = candidates(project, school_class)
    if not codes or not students:
        return None
    matrix = attainment_matrix(students, codes)
    problem = team_problem(codes, [s.number for s in students], matrix, target=COVER_TARGET)
    result = suggest_team(problem, k)
    naive = strongest_individuals(problem, k)
    naive_total = float(problem.met()[list(naive)].max(axis=0).sum()) if naive else 0.0
    picked = [students[i] for i in result.members]
    return Suggestion(
        picked, codes, competency_names(codes), result, naive_total, _rows(result, students, matrix, codes)
    )


def team_coverage(project: Project, team: Team) -> dict | None:
    """How a team meets the project's needs and what each member brings (members in student-number order)."""
    codes = list(project.competencies)
    students = [m.student for m in team.memberships.all()]
    if not codes or not students:
        return None
    matrix = attainment_matrix(students, codes)
    problem = team_problem(codes, [s.number for s in students], matrix, target=COVER_TARGET)
    result = explain_team(problem, range(len(students)))
    return {
        "rows": _rows(result, students, matrix, codes),
        "coverage": [{"code": c, "met": round(100 * float(v))} for c, v in zip(codes, result.coverage, strict=True)],
        "share": round(100 * result.share),
        "uncovered": result.uncovered,
    }


def competition_list():
    return Competition.objects.annotate(
        n_entries=Count("entries", distinct=True),
        n_awards=Count("entries", filter=~Q(entries__award__in=["", Entry.Award.PARTICIPATION]), distinct=True),
    ).order_by("-date", "name")


def competition_entries(competition: Competition):
    members = Prefetch("team__memberships", queryset=TeamMember.objects.select_related("student"))
    return competition.entries.select_related("team__project", "recorded_by").prefetch_related(members)


def student_teams(student: Student):
    entries = Prefetch("entries", queryset=Entry.objects.select_related("competition"))
    members = Prefetch("memberships", queryset=TeamMember.objects.select_related("student"))
    return (
        Team.objects.filter(memberships__student=student)
        .select_related("project__enterprise")
        .prefetch_related(members, entries)
        .order_by("-created_at")
    )


def student_results(student: Student):
    """The student's competition results (evidence): every entry of their teams that has a result."""
    return [e for e in result_entries().filter(team__memberships__student=student)]


def result_entries(competition: Competition | None = None):
    qs = (
        Entry.objects.filter(Q(rank__isnull=False) | ~Q(award=""))
        .select_related("competition", "team__project")
        .prefetch_related(
            Prefetch("team__memberships", queryset=TeamMember.objects.select_related("student__school_class"))
        )
        .order_by("-competition__date", "competition__name", "rank", "team__name")
    )
    if competition is not None:
        qs = qs.filter(competition=competition)
    return qs


def result_rows(competition: Competition | None = None, student: Student | None = None) -> list[dict]:
    """One row per student per result: the evidence as the Excel export lists it."""
    rows = []
    qs = result_entries(competition)
    if student is not None:
        qs = qs.filter(team__memberships__student=student)
    for entry in qs:
        for m in entry.team.memberships.all():
            if student is not None and m.student_id != student.pk:
                continue
            rows.append({"entry": entry, "student": m.student})
    return rows
