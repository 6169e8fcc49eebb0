"""Reads of programmes, and the engine's figures for a programme page (allocation, validation, coverage)."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cbec_talent.competencies.models import Competency
from cbec_talent.core.models import pick_language
from cbec_talent.engines.curriculum import allocation_table, coverage, coverage_by_scope, validate_programme

from .models import Programme
from .services import programme_document


def programme_list():
    return Programme.objects.annotate(n_courses=Count("courses")).order_by("code", "version")


def _text(t) -> str:
    return pick_language(t.zh, t.en)


def programme_overview(programme: Programme, scope: str = "ALL") -> dict:
    """Everything the programme page shows, computed by engines/curriculum from the stored courses."""
    doc = programme_document(programme)
    table = allocation_table(doc)
    issues = validate_programme(doc)
    reports = coverage_by_scope(doc)
    report = reports.get(scope) if scope != "ALL" else coverage(doc)
    if report is None:
        report = coverage(doc)
        scope = "ALL"
    names = {}
    if programme.framework_id:
        names = {c.code: c.name for c in Competency.objects.filter(framework_id=programme.framework_id)}
    courses = list(programme.courses.select_related("module").order_by("order"))
    by_semester = {s: [] for s in range(1, programme.semesters + 1)}
    for c in courses:
        for s in c.semesters:
            by_semester.setdefault(s, []).append(c)
    competencies = sorted({code for c in courses for code in c.supports}, key=lambda code: (code.split(".")[0], code))
    matrix = [(c, [c.supports.get(code, "") for code in competencies]) for c in courses]
    return {
        "document": doc,
        "allocation": table,
        "rows": [(r, _text(r.name)) for r in table.rows],
        "discrepancies": [(d, _text(d.message)) for d in table.discrepancies],
        "issues": [(i, _text(i.message)) for i in issues],
        "errors": sum(1 for i in issues if i.severity == "error"),
        "scopes": ["ALL", *reports.keys()],
        "scope": scope,
        "coverage": report,
        "uncovered": report.uncovered,
        "heatmap": {
            "competencies": [f"{c} {names.get(c, '')}".strip() for c in report.competencies],
            "semesters": [str(s) for s in report.semesters],
            "cells": [[j, i, v] for i, row in enumerate(report.matrix) for j, v in enumerate(row) if v],
        },
        "competency_names": names,
        "by_semester": sorted(by_semester.items()),
        "support_columns": competencies,
        "support_matrix": matrix,
    }


def programme_summary_json(programme: Programme) -> dict:
    """For `cbec-talent programme show CODE --json`: allocation table, findings and coverage."""
    doc = programme_document(programme)
    table = allocation_table(doc)
    return {
        "code": programme.code,
        "version": programme.version,
        "allocation": {
            "rows": [asdict(r) for r in table.rows],
            "total": asdict(table.total),
            "theory_share": table.theory_share,
            "discrepancies": [asdict(d) for d in table.discrepancies],
        },
        "validation": [asdict(i) for i in validate_programme(doc)],
        "coverage": {
            scope: {"uncovered": [asdict(e) for e in rep.uncovered], "entries": [asdict(e) for e in rep.entries]}
            for scope, rep in {"ALL": coverage(doc), **coverage_by_scope(doc)}.items()
        },
    }


def optimiser_diff(programme: Programme, run) -> dict | None:
    """How an optimiser run's plan differs from the programme as it stands: courses the plan leaves out,
    courses it moves to another semester (first semester taught), and how many stay as they are."""
    plan = (run.result or {}).get("plan") or []
    if run.status != "done" or not plan:
        return None
    planned = {p["code"]: p["semester"] for p in plan}
    courses = list(programme.courses.order_by("order"))
    known = {c.code for c in courses}
    dropped = [c for c in courses if c.code not in planned]
    moved = [
        {"course": c, "from": c.semesters[0], "to": planned[c.code]}
        for c in courses
        if c.code in planned and c.semesters and c.semesters[0] != planned[c.code]
    ]
    return {
        "dropped": dropped,
        "moved": moved,
        "added": sorted(code for code in planned if code not in known),
        "kept": len(courses) - len(dropped) - len(moved),
    }


OPTIMISER_STATUS = {
    "optimal": _("optimal"),
    "feasible": _("feasible (a gap to the bound is left)"),
    "infeasible": _("infeasible: the constraints conflict"),
    "time_limit": _("no plan within the time limit"),
    "error": _("the solver failed"),
}


def optimiser_status_label(status: str) -> str:
    """The optimiser's result status (engines/curriculum) in the reader's language."""
    return str(OPTIMISER_STATUS.get(status, status))


def recent_optimiser_runs(programme: Programme, n: int = 5) -> list:
    """The programme's last optimiser runs, newest first, with their status in the reader's language."""
    runs = list(programme.optimiser_runs.order_by("-created_at")[:n])
    for run in runs:
        run.result_status = optimiser_status_label((run.result or {}).get("status", "")) if run.result else ""
    return runs
