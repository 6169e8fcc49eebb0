"""Seeded synthetic course catalogues for tests and benchmarks (not real data)."""

from __future__ import annotations

import numpy as np

from .data import Bounds, Course, OptimiserRequest, Support, Text

MODULES = ("GC", "BS", "SP", "PR")


def generate_request(
    n_courses: int = 200, semesters: int = 8, n_competencies: int = 120, seed: int = 0, required: int = 12
) -> OptimiserRequest:
    """A feasible-by-construction request of the size of a four-year programme: ~150 credits chosen from
    ``n_courses``, demand-style competency weights (log-normal), module minimums, loads and prerequisites."""
    rng = np.random.default_rng(seed)
    comps = [f"C{k:03d}" for k in range(n_competencies)]
    popularity = rng.dirichlet(np.full(n_competencies, 0.7))
    courses: list[Course] = []
    for i in range(n_courses):
        module = MODULES[int(rng.choice(4, p=[0.3, 0.2, 0.3, 0.2]))]
        credits = int(rng.choice([1, 2, 2, 3, 3, 3, 4]))
        if module == "PR":
            theory, practice = 0, 24 * credits
        else:
            total = 16 * credits
            theory = int(8 * round(total * rng.uniform(0.5, 1.0) / 8))
            practice = total - theory
        first = int(rng.integers(1, semesters + 1))
        width = int(rng.integers(1, 4))
        sems = tuple(range(first, min(semesters, first + width - 1) + 1))
        earlier = [c for c in courses if min(c.semesters) < first]
        n_pre = int(rng.choice([0, 0, 1, 1, 2])) if earlier else 0
        pre = tuple(sorted({earlier[int(j)].code for j in rng.choice(len(earlier), size=n_pre)}))
        n_sup = int(rng.integers(2, 6))
        picked = rng.choice(n_competencies, size=n_sup, replace=False, p=popularity)
        sup = tuple(Support(comps[int(k)], str(rng.choice(["H", "M", "L"], p=[0.3, 0.4, 0.3]))) for k in picked)
        code = f"K{i:04d}"
        courses.append(
            Course(
                code,
                Text(f"课程{i}", f"Course {i}"),
                module,
                float(credits),
                theory,
                practice,
                sems,
                required=False,
                prerequisites=pre,
                supports=sup,
            )
        )
    weights = {k: float(round(w, 4)) for k, w in zip(comps, rng.lognormal(0.0, 1.0, n_competencies), strict=True)}
    roots = [c.code for c in courses if not c.prerequisites]
    req_codes = tuple(sorted(rng.choice(roots, size=min(required, len(roots)), replace=False).tolist()))
    return OptimiserRequest(
        catalogue=tuple(courses),
        semesters=semesters,
        weights=weights,
        total_credits=Bounds(140, 150),
        total_hours=Bounds(None, 2800),
        theory_share=Bounds(0.45, 0.75),
        semester_credits=Bounds(8, 24),
        required=req_codes,
        module_min_credits={"GC": 40, "BS": 24, "SP": 30, "PR": 20},
        time_limit=60.0,
    )
