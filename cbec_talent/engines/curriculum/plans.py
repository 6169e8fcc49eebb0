"""Independent evaluation of a plan against a request: objective and violated constraint groups.

Written without the MILP so tests and the greedy baseline can check any plan the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from .data import STRENGTH_VALUE, OptimiserRequest, PlannedCourse
from .model import DEFAULT_SATURATION


def plan_objective(request: OptimiserRequest, codes: Iterable[str]) -> float:
    """sum_k weight_k * min(1, strength units of chosen courses on k / saturation_k)."""
    chosen = set(codes)
    units: dict[str, float] = {}
    for c in request.catalogue:
        if c.code in chosen:
            for s in c.supports:
                units[s.competency] = units.get(s.competency, 0.0) + STRENGTH_VALUE[s.strength]
    total = 0.0
    for k, w in request.weights.items():
        if w > 0 and k in units:
            total += w * min(1.0, units[k] / float(request.saturation.get(k, DEFAULT_SATURATION)))
    return total


def plan_violations(request: OptimiserRequest, plan: Iterable[PlannedCourse], tol: float = 1e-6) -> list[str]:
    """Names of the constraint groups (and 'structure') the plan breaks; empty when it is feasible."""
    plan = list(plan)
    by_code = {c.code: c for c in request.catalogue}
    sem = {}
    bad: set[str] = set()
    for p in plan:
        c = by_code.get(p.code)
        if c is None or p.code in sem or p.semester not in c.semesters or not 1 <= p.semester <= request.semesters:
            bad.add("structure")
            continue
        sem[p.code] = p.semester
    picked = [by_code[k] for k in sem]
    credits = sum(c.credits for c in picked)
    hours = sum(c.total_hours for c in picked)
    theory = sum(c.theory_hours for c in picked)
    if any(code not in sem for code in request.required):
        bad.add("required_courses")
    if request.total_credits and not request.total_credits.contains(credits, tol):
        bad.add("total_credits")
    if request.total_hours and not request.total_hours.contains(hours, tol):
        bad.add("total_hours")
    if request.theory_share and hours and not request.theory_share.contains(theory / hours, tol):
        bad.add("theory_share")
    if request.semester_credits:
        for s in range(1, request.semesters + 1):
            load = sum(c.credits for c in picked if sem[c.code] == s)
            if not request.semester_credits.contains(load, tol):
                bad.add("semester_load")
    for c in picked:
        if any(p not in sem or sem[p] >= sem[c.code] for p in c.prerequisites):
            bad.add("prerequisites")
    for mod, minimum in request.module_min_credits.items():
        if sum(c.credits for c in picked if c.module == mod) < minimum - tol:
            bad.add("module_minimums")
    for k in request.high_support:
        if not any(s.competency == k and s.strength == "H" for c in picked for s in c.supports):
            bad.add("high_support")
    for need in request.certificate_modules:
        chosen = [i for i, code in enumerate(need.courses) if code in sem]
        hours = sum(float(need.hours[i]) if i < len(need.hours) else 0.0 for i in chosen)
        if not chosen or hours < need.min_hours - tol:
            bad.add("certificate_modules")
    return sorted(bad)
