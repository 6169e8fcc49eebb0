"""Benchmark: team suggestion for the creating space (cbec_talent.engines.matching.teams.suggest_team).

Instances (seeded numpy): 28 competencies in 7 groups of 4 (platform operation, marketing, languages, ...).
Each student has a general level and one or two groups they specialise in (higher there), plus noise; 15%
of the attainment cells are not yet assessed (NaN). A project needs a random subset of the competencies
(8..28, one project needs all 28) with a target level per need (0.8..1.0).

Ours: ``suggest_team`` (greedy on the coverage + best-improvement 1-swaps), timed as one pass over all the
projects on 2,000 candidates, k = 5; median of 5 passes.

Baseline, same run: exhaustive search over every k-subset (vectorised numpy, chunked), the true optimum,
on the largest size where that is feasible: 30 candidates, k = 4 (27,405 teams). The time ratio is measured
on that instance (median of 5 each); the quality (our coverage / optimum) is the mean and the minimum over
50 random such instances, beside the naive team of the k individually strongest students
(``strongest_individuals``) and greedy without the local search. For scale, the exhaustive search's time on
the large instance is extrapolated (per-team cost x C(n, k)) and labelled so.

Run: .venv/bin/python bench/teams.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cbec_talent.engines.matching.teams import (  # noqa: E402
    strongest_individuals,
    suggest_team,
    team_problem,
)

N_CODES = 28
GROUP = 4  # competencies per group


def make_students(n: int, rng: np.random.Generator) -> np.ndarray:
    """(n, 28) attainment 0..1, NaN where not yet assessed: general level + specialised groups + noise."""
    groups = N_CODES // GROUP
    general = 0.6 * rng.beta(2.0, 4.0, size=n)[:, None]  # most students weak-to-middling overall
    boost = np.zeros((n, groups))
    for i in range(n):
        picked = rng.choice(groups, size=1 + int(rng.random() < 0.3), replace=False)
        boost[i, picked] = rng.uniform(0.3, 0.6, size=picked.size)
    a = general + np.repeat(boost, GROUP, axis=1) + rng.normal(0.0, 0.1, size=(n, N_CODES))
    a = np.clip(a, 0.0, 1.0)
    a[rng.random(a.shape) < 0.15] = np.nan
    return a


def make_projects(
    count: int, rng: np.random.Generator, lo: int = 8, first_all: bool = True
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(needed competency columns, targets); the first project needs all 28 unless ``first_all`` is false."""
    projects = []
    for p in range(count):
        m = N_CODES if p == 0 and first_all else int(rng.integers(lo, N_CODES + 1))
        cols = np.sort(rng.choice(N_CODES, size=m, replace=False))
        projects.append((cols, rng.uniform(0.8, 1.0, size=m)))
    return projects


def problems_for(attainment: np.ndarray, projects, rng: np.random.Generator):
    n = attainment.shape[0]
    numbers = [f"2026{x:05d}" for x in rng.permutation(n)]  # numbers not in input order (tie-break by number)
    codes = [f"C{j:02d}" for j in range(N_CODES)]
    return [
        team_problem([codes[j] for j in cols], numbers, attainment[:, cols], target=target) for cols, target in projects
    ]


def exhaustive(met: np.ndarray, k: int, chunk: int = 200_000) -> tuple[float, tuple[int, ...]]:
    """Best coverage over every k-subset of the candidates (vectorised in chunks) and one best team."""
    best, best_team = -1.0, ()
    combos = itertools.combinations(range(met.shape[0]), k)
    while True:
        block = np.fromiter(itertools.chain.from_iterable(itertools.islice(combos, chunk)), dtype=np.int64)
        if block.size == 0:
            return best, best_team
        block = block.reshape(-1, k)
        totals = met[block].max(axis=1).sum(axis=1)
        j = int(np.argmax(totals))
        if totals[j] > best:
            best, best_team = float(totals[j]), tuple(int(x) for x in block[j])


def coverage(problem, members) -> float:
    return float(problem.met()[list(members)].max(axis=0).sum())


def median_time(fn, repeats: int = 5) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="500 candidates, 10 quality instances")
    ap.add_argument("--candidates", type=int, default=2_000)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--projects", type=int, default=6)
    ap.add_argument("--small", type=int, default=30, help="candidates where the exhaustive search runs")
    ap.add_argument("--small-k", type=int, default=4)
    ap.add_argument("--instances", type=int, default=50, help="random small instances for the quality")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    if args.quick:
        args.candidates, args.instances = 500, 10
    rng = np.random.default_rng(args.seed)

    # --- speed on the large instance --------------------------------------------------------------------
    problems = problems_for(make_students(args.candidates, rng), make_projects(args.projects, rng), rng)
    median_s, teams = median_time(lambda: [suggest_team(p, args.k) for p in problems])
    needs = [len(p.codes) for p in problems]
    print(
        f"large: {args.candidates} candidates x {N_CODES} competencies, k={args.k}, {len(problems)} projects"
        f" needing {needs} competencies"
    )
    print(
        f"ours  suggest_team: median {median_s:.4f} s of 5 for all {len(problems)} projects"
        f" ({median_s / len(problems) * 1000:.1f} ms per project)"
    )
    for p, team in zip(problems, teams, strict=True):
        strong = coverage(p, strongest_individuals(p, args.k))
        print(
            f"  project needing {len(p.codes):2d}: coverage {team.total:5.2f} ({team.share:.1%}), greedy"
            f" {team.greedy_total:5.2f}, swaps {team.swaps}, uncovered {len(team.uncovered)};"
            f" k strongest {strong:5.2f}"
        )

    # --- baseline: exhaustive search where it is feasible ---------------------------------------------------
    n, k = args.small, args.small_k
    subsets = math.comb(n, k)
    small_rng = np.random.default_rng(args.seed + 1)
    quality, strongest_q, greedy_q, opt_share = [], [], [], []
    first = None
    for _ in range(args.instances):
        (p,) = problems_for(make_students(n, small_rng), make_projects(1, small_rng, 12, False), small_rng)
        first = first or p
        opt, _ = exhaustive(p.met(), k)
        ours = suggest_team(p, k)
        assert ours.total <= opt + 1e-9, "coverage above the exhaustive optimum"
        quality.append(ours.total / opt)
        greedy_q.append(ours.greedy_total / opt)
        strongest_q.append(coverage(p, strongest_individuals(p, k)) / opt)
        opt_share.append(opt / len(p.codes))

    ours_small_s, ours_small = median_time(lambda: suggest_team(first, k))
    baseline_s, (opt_first, _) = median_time(lambda: exhaustive(first.met(), k))
    ratio = baseline_s / ours_small_s
    per_team = baseline_s / subsets
    extrapolated_large = per_team * math.comb(args.candidates, args.k) * (N_CODES / len(first.codes))
    q = np.array(quality)
    print(
        f"small: {n} candidates, k={k} ({subsets:,} teams), {args.instances} random instances needing 12..28"
        f" competencies; the optimum covers {statistics.mean(opt_share):.1%} of the needs on average"
    )
    print(
        f"  time on the first instance ({len(first.codes)} needs): ours {ours_small_s * 1000:.2f} ms,"
        f" exhaustive {baseline_s * 1000:.1f} ms (median of 5 each) -> ours {ratio:.0f}x faster;"
        f" coverage {ours_small.total:.3f} vs optimum {opt_first:.3f}"
    )
    print(
        f"  quality vs optimum: ours mean {q.mean():.4f}, min {q.min():.4f}, optimal on {int((q > 1 - 1e-9).sum())}"
        f"/{q.size}; greedy alone mean {statistics.mean(greedy_q):.4f}, min {min(greedy_q):.4f};"
        f" k strongest mean {statistics.mean(strongest_q):.4f}, min {min(strongest_q):.4f}"
    )
    print(
        f"  exhaustive search at {args.candidates} candidates, k={args.k}:"
        f" C(n,k) = {math.comb(args.candidates, args.k):.2e} teams,"
        f" EXTRAPOLATED ~{extrapolated_large / 86400:,.0f} days per project (not run)"
    )
    print(
        json.dumps(
            {
                "median_s": round(median_s, 4),
                "baseline_median_s": round(baseline_s, 4),
                "ratio": round(ratio, 1),
                "candidates": args.candidates,
                "k": args.k,
                "quality_vs_optimum_mean": round(float(q.mean()), 4),
                "quality_vs_optimum_min": round(float(q.min()), 4),
                "strongest_k_quality_mean": round(statistics.mean(strongest_q), 4),
                "strongest_k_quality_min": round(min(strongest_q), 4),
                "greedy_only_quality_mean": round(statistics.mean(greedy_q), 4),
                "optimal_share_of_instances": round(float((q > 1 - 1e-9).mean()), 4),
                "competencies": N_CODES,
                "projects": len(problems),
                "per_project_s": round(median_s / len(problems), 5),
                "baseline_and_ratio_instance": {
                    "candidates": n,
                    "k": k,
                    "teams": subsets,
                    "ours_median_s": round(ours_small_s, 5),
                },
                "quality_instances": args.instances,
                "baseline_large_extrapolated_s": float(f"{extrapolated_large:.3g}"),
            }
        )
    )


if __name__ == "__main__":
    main()
