"""Greedy baseline for the optimiser: required courses first, then module minimums, then the best
coverage gain per credit, each placed in the least-loaded offered semester after its prerequisites."""

from __future__ import annotations

import time

from .data import STRENGTH_VALUE, OptimiserRequest, OptimiserResult, PlannedCourse
from .model import DEFAULT_SATURATION
from .plans import plan_objective, plan_violations


def greedy_plan(request: OptimiserRequest) -> OptimiserResult:
    """A fast heuristic plan; ``status`` is "feasible" when it meets every constraint, else "infeasible"
    (the baseline gives up rather than repair). Never claims optimality."""
    t0 = time.perf_counter()
    cat = {c.code: c for c in request.catalogue}
    sat = {k: float(request.saturation.get(k, DEFAULT_SATURATION)) for k in request.weights}
    units: dict[str, float] = {}
    sem: dict[str, int] = {}
    load = dict.fromkeys(range(1, request.semesters + 1), 0.0)
    tot = {"credits": 0.0, "hours": 0.0, "theory": 0.0}
    cmax = (
        request.total_credits.max if request.total_credits and request.total_credits.max is not None else float("inf")
    )
    hmax = request.total_hours.max if request.total_hours and request.total_hours.max is not None else float("inf")
    smax = (
        request.semester_credits.max
        if request.semester_credits and request.semester_credits.max is not None
        else float("inf")
    )
    share = request.theory_share

    def slot(c) -> int | None:
        if any(p not in sem for p in c.prerequisites):
            return None
        after = max((sem[p] for p in c.prerequisites), default=0)
        ok = [s for s in c.semesters if s > after and 1 <= s <= request.semesters and load[s] + c.credits <= smax]
        return min(ok, key=lambda s: (load[s], s)) if ok else None

    def fits(c) -> bool:
        if tot["credits"] + c.credits > cmax + 1e-9 or tot["hours"] + c.total_hours > hmax + 1e-9:
            return False
        if share is not None and tot["hours"] > 0:
            now = tot["theory"] / tot["hours"]
            new = (tot["theory"] + c.theory_hours) / (tot["hours"] + c.total_hours)
            if share.contains(now) and not share.contains(new):
                return False
        return True

    def gain(c) -> float:
        g = 0.0
        for s in c.supports:
            k = s.competency
            w = request.weights.get(k, 0.0)
            if w > 0:
                cur = units.get(k, 0.0)
                g += w * (min(1.0, (cur + STRENGTH_VALUE[s.strength]) / sat[k]) - min(1.0, cur / sat[k]))
        return g

    def take(c, s: int) -> None:
        sem[c.code] = s
        load[s] += c.credits
        tot["credits"] += c.credits
        tot["hours"] += c.total_hours
        tot["theory"] += c.theory_hours
        for sp in c.supports:
            units[sp.competency] = units.get(sp.competency, 0.0) + STRENGTH_VALUE[sp.strength]

    pending = [cat[k] for k in request.required if k in cat]
    while pending:
        progressed = False
        for c in list(pending):
            s = slot(c)
            if s is not None:
                take(c, s)
                pending.remove(c)
                progressed = True
        if not progressed:
            break
    phases = [(m, v) for m, v in request.module_min_credits.items()] + [(None, None)]
    for mod, minimum in phases:
        while True:
            if mod is not None and sum(cat[k].credits for k in sem if cat[k].module == mod) >= minimum:
                break
            best, best_score, best_slot = None, 0.0 if mod is None else -1.0, None
            for c in request.catalogue:
                if c.code in sem or (mod is not None and c.module != mod) or not fits(c):
                    continue
                s = slot(c)
                if s is None:
                    continue
                score = gain(c) / max(c.credits, 1e-9)
                if score > best_score:
                    best, best_score, best_slot = c, score, s
            if best is None:
                break
            take(best, best_slot)
    plan = tuple(sorted((PlannedCourse(k, s) for k, s in sem.items()), key=lambda p: (p.semester, p.code)))
    bad = plan_violations(request, plan)
    obj = plan_objective(request, sem)
    return OptimiserResult(
        "feasible" if not bad else "infeasible",
        plan,
        obj,
        float("nan"),
        float("nan"),
        False,
        (),
        None,
        {},
        {"credits": tot["credits"], "hours": tot["hours"]},
        time.perf_counter() - t0,
    )
