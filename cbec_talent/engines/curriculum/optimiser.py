"""Curriculum optimiser: choose and schedule catalogue courses into semesters (MILP on HiGHS).

Meant to run in a background task (or its own process: highspy and ortools must not share one); pass
``progress(fraction, message)`` to hear about stages and improving incumbents.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from .data import LEVEL_RANK, Course, OptimiserRequest, OptimiserResult, PlannedCourse, ProgrammeDocument
from .explain import binding_constraints, coverage_of, explain_infeasible
from .model import build_model
from .solve import Progress, solve_model


def weights_from_positions(positions, direction: str | None = None) -> dict[str, float]:
    """Competency weights from target positions (optionally only those in ``direction``): the sum over
    positions of the required level rank (aware 1, apply 2, master 3)."""
    out: dict[str, float] = {}
    for p in positions:
        if direction is not None and direction not in p.directions:
            continue
        best: dict[str, int] = {}
        for r in p.requirements:
            best[r.competency] = max(best.get(r.competency, 0), LEVEL_RANK[r.level])
        for k, v in best.items():
            out[k] = out.get(k, 0.0) + v
    return out


def weights_from_demand(counts: Mapping[str, float]) -> dict[str, float]:
    """Competency weights from demand figures (e.g. posting counts): shares of the total, times 100."""
    total = float(sum(v for v in counts.values() if v > 0))
    return {k: 100.0 * v / total for k, v in counts.items() if v > 0} if total else {}


def request_from_programme(
    doc: ProgrammeDocument,
    catalogue: tuple[Course, ...] | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    direction: str | None = None,
    time_limit: float = 60.0,
) -> OptimiserRequest:
    """An optimiser request carrying a programme's targets: catalogue defaults to the programme's own
    courses (its required courses stay required), weights default to its target positions (optionally one
    direction), and every competency those positions require must get a high-strength course."""
    cat = tuple(doc.courses if catalogue is None else catalogue)
    t = doc.targets
    required_comps = tuple(sorted({q.competency for p in doc.positions for q in p.requirements}))
    return OptimiserRequest(
        catalogue=cat,
        semesters=doc.semesters,
        weights=dict(weights) if weights is not None else weights_from_positions(doc.positions, direction),
        total_credits=t.total_credits,
        total_hours=t.total_hours,
        theory_share=t.theory_share,
        semester_credits=t.semester_credits,
        required=tuple(c.code for c in cat if c.required),
        module_min_credits=dict(t.module_min_credits),
        high_support=required_comps,
        time_limit=time_limit,
    )


def optimise(request: OptimiserRequest, progress: Progress | None = None) -> OptimiserResult:
    """Solve ``request``. Returns the plan, objective, dual bound and gap (``proven_optimal`` when the gap is
    closed), binding constraints with reasons; for an infeasible request, the conflicting constraint groups.
    Raises ``model.RequestError`` for unknown course codes."""
    t0 = time.perf_counter()
    report = progress or (lambda f, m: None)
    report(0.0, "building model / 构建模型")
    model = build_model(request)
    report(0.05, "solving / 求解中")
    sol = solve_model(model, time_limit=request.time_limit, mip_gap=request.mip_gap, progress=progress)
    if sol.status in ("time_limit", "error"):
        report(1.0, "stopped without a plan / 未得到方案")
        nan = float("nan")
        return OptimiserResult(sol.status, (), nan, nan, nan, False, (), None, {}, {}, time.perf_counter() - t0)
    if sol.status == "infeasible":
        report(0.9, "explaining infeasibility / 分析冲突约束")
        conflict = explain_infeasible(model, time_limit=min(30.0, request.time_limit))
        report(1.0, "done / 完成")
        return OptimiserResult(
            "infeasible",
            (),
            float("nan"),
            float("nan"),
            float("nan"),
            False,
            (),
            conflict,
            {},
            {},
            time.perf_counter() - t0,
        )
    values = sol.values
    plan = tuple(
        sorted(
            (PlannedCourse(model.courses[i].code, s) for (i, s), col in model.x_cols.items() if values[col] > 0.5),
            key=lambda p: (p.semester, p.code),
        )
    )
    chosen = {model.index[p.code] for p in plan}
    cov = coverage_of(model, chosen)
    objective = sum(float(model.obj[model.z_cols[k]]) * v for k, v in cov.items())
    picked = [model.courses[i] for i in chosen]
    hours = sum(c.total_hours for c in picked)
    totals = {
        "credits": float(sum(c.credits for c in picked)),
        "hours": float(hours),
        "theory_hours": float(sum(c.theory_hours for c in picked)),
        "practice_hours": float(sum(c.practice_hours for c in picked)),
        "theory_share": (sum(c.theory_hours for c in picked) / hours) if hours else 0.0,
        "courses": float(len(picked)),
    }
    binding = tuple(binding_constraints(model, values))
    report(1.0, "done / 完成")
    return OptimiserResult(
        sol.status,
        plan,
        objective,
        sol.bound,
        sol.gap,
        sol.status == "optimal",
        binding,
        None,
        cov,
        totals,
        time.perf_counter() - t0,
    )
