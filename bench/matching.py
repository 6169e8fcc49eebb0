"""Benchmark: student-proposing deferred acceptance with capacities (cbec_talent.engines.matching).

Instance (seeded): S students each rank ``prefs`` distinct posts drawn by post popularity (log-normal
weights, so some posts are much sought after); post p's enterprise scores an applicant by
``ability + 0.5 * noise`` and ranks by that score; seats are random 1..40 scaled so they sum to
``ratio * S``.  Ours: ``match_students`` on the arrays, median of 5; stability and capacities are checked
with the vectorised ``is_stable``.

Peer: the PyPI package ``matching`` (HospitalResident, resident-optimal), timed as its player objects
built from dictionaries plus its solver ``matching.algorithms.hospital_resident``.  (Its
``HospitalResident`` game class deep-copies the player graph recursively and raises RecursionError from a
few thousand students on with Python's default recursion limit; this is probed and reported.)  If the
peer would not finish the full size within the budget, it runs on the largest ladder size that fits and its
full-size time is extrapolated (power law through the last two sizes, labelled).  On every ladder size
both must return the identical matching (the student-optimal stable matching is unique).

Run: .venv/bin/python bench/matching.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

# This file is named like the peer package: drop its folder from the path so `import matching` finds the peer.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from cbec_talent.engines.matching import build_instance, is_stable, match_students  # noqa: E402


def make_instance(students: int, posts: int, prefs: int, ratio: float, seed: int):
    rng = np.random.default_rng(seed)
    pop = rng.lognormal(0.0, 1.0, posts)
    cdf = np.cumsum(pop) / pop.sum()
    table = np.empty((students, prefs), dtype=np.int64)
    todo = np.arange(students)
    while todo.size:
        draw = np.minimum(np.searchsorted(cdf, rng.random((todo.size, 3 * prefs))), posts - 1)
        order = np.argsort(draw, axis=1, kind="stable")
        sv = np.take_along_axis(draw, order, axis=1)
        first_sorted = np.ones_like(sv, dtype=bool)
        first_sorted[:, 1:] = sv[:, 1:] != sv[:, :-1]
        first = np.empty_like(first_sorted)
        np.put_along_axis(first, order, first_sorted, axis=1)
        ok = first.sum(axis=1) >= prefs
        pick = np.argsort(~first[ok], axis=1, kind="stable")[:, :prefs]
        table[todo[ok]] = np.take_along_axis(draw[ok], pick, axis=1)
        todo = todo[~ok]
    raw = rng.integers(1, 41, posts)
    capacity = np.maximum(1, np.round(raw * ratio * students / raw.sum())).astype(np.int64)
    ability = rng.normal(size=students)
    score = ability[:, None] + 0.5 * rng.normal(size=(students, prefs))
    indptr = np.arange(students + 1, dtype=np.int64) * prefs
    return build_instance(capacity, indptr, table.ravel(), post_score=score.ravel())


def peer_dicts(inst):
    student = inst.application_student()
    rp = {s: [] for s in range(inst.n_students)}
    for s, p in zip(student.tolist(), inst.pref_posts.tolist(), strict=True):
        rp[s].append(p)
    order = np.lexsort((inst.post_rank, inst.pref_posts))
    hp = {p: [] for p in range(inst.n_posts)}
    for k in order.tolist():
        hp[int(inst.pref_posts[k])].append(int(student[k]))
    caps = {p: int(c) for p, c in enumerate(inst.capacity)}
    return rp, hp, caps


def run_peer(inst):
    """Returns (post_of_student, seconds build+solve, seconds solve only)."""
    from matching.algorithms import hospital_resident
    from matching.games.hospital_resident import _make_players

    rp, hp, caps = peer_dicts(inst)
    t0 = time.perf_counter()
    residents, hospitals = _make_players(rp, hp, caps)
    t1 = time.perf_counter()
    result = hospital_resident(residents, hospitals, optimal="resident")
    t2 = time.perf_counter()
    post_of = np.full(inst.n_students, -1, dtype=np.int64)
    for hospital, matched in result.items():
        for resident in matched:
            post_of[resident.name] = hospital.name
    return post_of, t2 - t0, t2 - t1


def probe_game_class(inst) -> str:
    from matching.games import HospitalResident

    rp, hp, caps = peer_dicts(inst)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            HospitalResident.create_from_dictionaries(rp, hp, caps).solve()
    except RecursionError:
        return f"RecursionError at {inst.n_students} students (default recursion limit)"
    return f"ok at {inst.n_students} students"


def time_ours(inst, repeats=5):
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = match_students(inst)
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10,000 students, 500 posts")
    ap.add_argument("--students", type=int, default=100_000)
    ap.add_argument("--posts", type=int, default=5_000)
    ap.add_argument("--prefs", type=int, default=10)
    ap.add_argument("--ratio", type=float, default=1.0, help="total seats / students")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--budget", type=float, default=60.0, help="seconds the peer may take per size")
    args = ap.parse_args()
    if args.quick:
        args.students, args.posts = 10_000, 500
    n, per_post = args.students, args.students / args.posts

    t = time.perf_counter()
    inst = make_instance(n, args.posts, args.prefs, args.ratio, args.seed)
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    build_instance(inst.capacity, inst.pref_indptr, inst.pref_posts, post_score=inst.post_score)
    build_s = time.perf_counter() - t
    median_s, res = time_ours(inst)
    t = time.perf_counter()
    stable = is_stable(inst, res.post_of_student)
    check_s = time.perf_counter() - t
    capacity_ok = bool((res.filled <= inst.capacity).all())
    print(
        f"instance: {n} students, {args.posts} posts, {args.prefs} prefs, seats {int(inst.capacity.sum())}"
        f" (ratio {args.ratio}), generated in {gen_s:.2f} s"
    )
    print(
        f"ours  match_students: median {median_s:.3f} s of 5, {res.rounds} rounds, "
        f"{(res.post_of_student >= 0).mean():.1%} placed, stable={stable}, capacities ok={capacity_ok};"
        f" build_instance from scores {build_s:.3f} s; is_stable check {check_s:.3f} s"
    )

    try:
        import matching  # noqa: F401
    except ImportError:
        print("peer: package `matching` not installed (pip install matching); no comparison")
        print(
            json.dumps(
                {
                    "median_s": median_s,
                    "baseline_median_s": None,
                    "ratio": None,
                    "students": n,
                    "posts": args.posts,
                    "prefs": args.prefs,
                    "stable": stable,
                }
            )
        )
        return
    from importlib.metadata import version

    game_note = probe_game_class(make_instance(4000, max(1, round(4000 / per_post)), args.prefs, args.ratio, 7))
    print(f"peer matching {version('matching')}: HospitalResident game class: {game_note}")

    ladder = [m for m in (1_000, 2_000, 5_000, 10_000, 20_000, 50_000) if m < n] + [n]
    measured, identical, last = [], [], None
    exponent = 1.2
    for m in ladder:
        if last is not None:
            predicted = last[1] * (m / last[0]) ** exponent
            if predicted > args.budget:
                print(f"peer at {m} students: predicted {predicted:.0f} s > budget {args.budget:.0f} s; skipped")
                break
        sub = inst if m == n else make_instance(m, max(1, round(m / per_post)), args.prefs, args.ratio, args.seed + m)
        peer_post, peer_s, peer_solve = run_peer(sub)
        ours_s, ours = (median_s, res) if m == n else time_ours(sub)
        same = bool(np.array_equal(peer_post, ours.post_of_student))
        identical.append(same)
        print(
            f"  {m:>7} students: peer {peer_s:8.3f} s (solver alone {peer_solve:.3f} s), ours {ours_s:.4f} s,"
            f" identical matching: {same}"
        )
        if last is not None and last[1] > 0.05:
            exponent = max(1.0, float(np.log(peer_s / last[1]) / np.log(m / last[0])))
        measured.append((m, peer_s, peer_solve))
        last = (m, peer_s)

    biggest, peer_s, peer_solve = measured[-1]
    extrapolated = biggest != n
    runs: list[float] = []
    if extrapolated:
        baseline = peer_s * (n / biggest) ** exponent
        print(f"peer at {n} students: EXTRAPOLATED {baseline:.1f} s (exponent {exponent:.2f} from the last sizes)")
    else:
        runs.append(peer_s)
        while len(runs) < 5 and sum(runs) + peer_s < 2 * args.budget:
            runs.append(run_peer(inst)[1])
        baseline = statistics.median(runs)
        print(f"peer at {n} students: median {baseline:.2f} s of {len(runs)} run(s)")
    ratio = baseline / median_s
    print(f"ours is {ratio:.1f}x faster at {n} students")
    print(
        json.dumps(
            {
                "median_s": round(median_s, 4),
                "baseline_median_s": round(baseline, 3),
                "ratio": round(ratio, 1),
                "students": n,
                "posts": args.posts,
                "prefs": args.prefs,
                "stable": stable,
                "capacity_ok": capacity_ok,
                "seat_ratio": args.ratio,
                "placed_share": round(float((res.post_of_student >= 0).mean()), 4),
                "rounds": res.rounds,
                "check_s": round(check_s, 4),
                "build_instance_s": round(build_s, 4),
                "baseline_runs": len(runs),
                "baseline_extrapolated": extrapolated,
                "baseline_largest_measured_students": biggest,
                "identical_to_baseline_on_all_sizes": all(identical),
                "sizes_compared": [m for m, _, _ in measured],
            }
        )
    )


if __name__ == "__main__":
    main()
