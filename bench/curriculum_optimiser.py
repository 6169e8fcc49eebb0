"""Benchmark: curriculum optimiser (HiGHS MILP) vs the greedy baseline on a seeded generated catalogue.

Run: .venv/bin/python bench/curriculum_optimiser.py [--quick]
Target: 200 courses x 8 semesters x 120 competencies proven optimal in <= 3 s (median of 5), 500 in <= 10 s.
Last line: one JSON object (median_s first; ratio = optimum / greedy objective).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cbec_talent.engines.curriculum.generate import generate_request  # noqa: E402
from cbec_talent.engines.curriculum.greedy import greedy_plan  # noqa: E402
from cbec_talent.engines.curriculum.optimiser import optimise  # noqa: E402
from cbec_talent.engines.curriculum.plans import plan_violations  # noqa: E402


def run(n_courses: int, semesters: int, comps: int, repeats: int, seed: int) -> dict:
    req = generate_request(n_courses, semesters, comps, seed=seed)
    times, greedy_times, results = [], [], []
    for _ in range(repeats):
        t = time.perf_counter()
        res = optimise(req)
        times.append(time.perf_counter() - t)
        results.append(res)
        t = time.perf_counter()
        g = greedy_plan(req)
        greedy_times.append(time.perf_counter() - t)
    res = results[-1]
    optimal = all(r.proven_optimal and r.gap <= 1e-9 for r in results)
    assert not plan_violations(req, res.plan), "optimiser plan breaks a constraint"
    print(f"{n_courses} courses x {semesters} semesters x {comps} competencies (seed {seed}):")
    print(
        f"  HiGHS MILP : objective {res.objective:.4f}  bound {res.bound:.4f}  gap {res.gap:.2e}  "
        f"optimal {optimal}  median {statistics.median(times):.3f} s  runs {[round(x, 3) for x in times]}"
    )
    print(
        f"  greedy     : objective {g.objective:.4f}  feasible {g.status == 'feasible'}  "
        f"median {statistics.median(greedy_times):.4f} s"
    )
    print(
        f"  plan: {len(res.plan)} courses, {res.totals['credits']:g} credits, {res.totals['hours']:g} hours, "
        f"theory share {res.totals['theory_share']:.3f}; binding: "
        f"{sorted({b.group for b in res.binding})}"
    )
    return {
        "median_s": statistics.median(times),
        "greedy_median_s": statistics.median(greedy_times),
        "objective": res.objective,
        "greedy_objective": g.objective,
        "greedy_feasible": g.status == "feasible",
        "optimal": optimal,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes (100 and 200 courses, 3 runs)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    n1, n2, reps = (100, 200, 3) if args.quick else (200, 500, 5)
    a = run(n1, 8, 120, reps, args.seed)
    b = run(n2, 8, 120, reps, args.seed)
    sweep = {}
    for n in (n1, n2):
        times = []
        for seed in range(args.seed + 1, args.seed + 5):
            req = generate_request(n, 8, 120, seed=seed)
            t = time.perf_counter()
            res = optimise(req)
            times.append(time.perf_counter() - t)
            if not res.proven_optimal:
                times[-1] = float("inf")
        sweep[n] = max(times)
        print(
            f"robustness: {n} courses, seeds {args.seed + 1}..{args.seed + 4}, one run each: "
            f"{[round(x, 3) for x in times]} s (inf = not proven optimal)"
        )
    print(
        json.dumps(
            {
                "median_s": round(a["median_s"], 4),
                "baseline_median_s": round(a["greedy_median_s"], 4),
                "ratio": round(a["objective"] / a["greedy_objective"], 4),
                "objective": round(a["objective"], 4),
                "greedy_objective": round(a["greedy_objective"], 4),
                "greedy_feasible": a["greedy_feasible"],
                "courses": n1,
                "semesters": 8,
                "competencies": 120,
                "optimal": a["optimal"] and b["optimal"],
                f"median_s_{n2}": round(b["median_s"], 4),
                f"baseline_median_s_{n2}": round(b["greedy_median_s"], 4),
                f"ratio_{n2}": round(b["objective"] / b["greedy_objective"], 4),
                "max_s_other_seeds": round(sweep[n1], 4),
                f"max_s_other_seeds_{n2}": round(sweep[n2], 4),
            }
        )
    )


if __name__ == "__main__":
    main()
