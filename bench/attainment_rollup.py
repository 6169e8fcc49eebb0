"""Benchmark: roll 10 million component scores up to student x competency attainment.

50,000 students x 40 courses x 5 components (float32), 30 competencies, a random H/M/L support matrix
(3/2/1). Ours: `cbec_talent.engines.attainment.roll_up` (BLAS matrix products). Baseline, measured in the
same run on the same data: a straightforward pandas merge + groupby of the same roll-up (weighted course
score per student and course, then support-weighted sum per student and competency). Floor: reading the
scores once from memory (`values.sum()`). Both results must agree (asserted). Also printed, not headline:
the MINIMUM method, the cohort level, and the NaN-aware path with 1% of scores missing.

BLAS threads: the headline runs our roll-up with OpenBLAS limited to 1 thread (threadpoolctl), the setting
we recommend for multi-process web workers and for this shared 2-core machine, where 2 BLAS threads lose
badly whenever another process holds a core; the figure with the default thread count is printed beside it.

Run: .venv/bin/python bench/attainment_rollup.py [--quick]
Needs (bench-only extras): pandas, threadpoolctl (without it, the headline uses the default threads).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cbec_talent.engines.attainment import (  # noqa: E402
    Component,
    ComponentKind,
    CoursePlan,
    Method,
    RollupConfig,
    ScoreTensor,
    SupportMatrix,
    compile_model,
    roll_up,
)

KINDS = list(ComponentKind)


def make_data(n_students: int, n_courses: int, n_comp: int, n_skills: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    plans = []
    for c in range(n_courses):
        raw = rng.integers(1, 10, size=n_comp).astype(float)
        w = np.floor(raw / raw.sum() * 100)
        w[0] += 100 - w.sum()  # integer percentages summing exactly to 100
        comps = tuple(Component(f"K{k}", KINDS[(c + k) % len(KINDS)], float(w[k])) for k in range(n_comp))
        plans.append(CoursePlan(f"C{c:02d}", comps))
    levels = np.array(["", "L", "M", "H"])
    pick = rng.choice(4, size=(n_courses, n_skills), p=[0.75, 0.09, 0.08, 0.08])
    for c in range(n_courses):  # every course supports something, every competency is supported
        if not pick[c].any():
            pick[c, rng.integers(n_skills)] = 3
    for j in range(n_skills):
        if not pick[:, j].any():
            pick[rng.integers(n_courses), j] = 2
    skills = tuple(f"P{j:02d}" for j in range(n_skills))
    support = SupportMatrix(tuple(p.course for p in plans), skills, tuple(tuple(levels[row]) for row in pick))
    values = (rng.beta(5, 2, size=(n_students, n_courses, n_comp)) * 100).astype(np.float32)
    students = tuple(f"S{i:06d}" for i in range(n_students))
    return plans, support, ScoreTensor(students, tuple(p.course for p in plans), values)


def timed(fn, runs: int = 5):
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def pandas_rollup(pd, long, wdf, sdf):
    d = long.merge(wdf, on=["course", "component"])
    d["ws"] = d["score"] * d["w"]
    cs = d.groupby(["student", "course"], sort=False, observed=True)["ws"].sum().reset_index()
    m = cs.merge(sdf, on="course")
    m["v"] = m["ws"] * m["s"]
    return m.groupby(["student", "competency"], observed=True)["v"].sum().unstack()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="5,000 students instead of 50,000")
    args = ap.parse_args()
    try:
        import pandas as pd
    except ImportError:
        print("pandas is not installed (bench-only extra: pip install 'pandas>=2.2,<4'); cannot run baseline")
        sys.exit(2)
    n_s, n_c, n_k, n_p = (5_000 if args.quick else 50_000), 40, 5, 30
    plans, support, scores = make_data(n_s, n_c, n_k, n_p)
    model = compile_model(plans, support, RollupConfig())
    x = scores.values
    print(
        f"scores: {x.shape} {x.dtype} ({x.size:,} values, {x.nbytes / 1e6:.0f} MB); "
        f"competencies {n_p}; evidence groups {model.group_course.size}; cpus {os.cpu_count()}, "
        f"OMP/OPENBLAS threads env: {os.environ.get('OMP_NUM_THREADS')}/{os.environ.get('OPENBLAS_NUM_THREADS')}"
    )

    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        threadpool_info = threadpool_limits = None
    if threadpool_info is not None:
        blas = [(i["internal_api"], i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"]
        print(f"BLAS: {blas}")
    roll_up(scores, model)  # warm-up (BLAS thread pool)
    default_s, result = timed(lambda: roll_up(scores, model))
    floor_s, _ = timed(lambda: float(x.sum()))
    rng = np.random.default_rng(1)
    holes = x.copy()
    holes[rng.random(holes.shape) < 0.01] = np.nan
    miss_scores = ScoreTensor(scores.students, scores.courses, holes)
    mmodel = compile_model(plans, support, RollupConfig(method=Method.MINIMUM))

    def ours() -> tuple[float, object, float, float]:
        t, res = timed(lambda: roll_up(scores, model))
        return t, res, timed(lambda: roll_up(scores, mmodel))[0], timed(lambda: roll_up(miss_scores, model))[0]

    if threadpool_limits is not None:
        with threadpool_limits(limits=1, user_api="blas"):
            ours_s, result, min_s, miss_s = ours()
        threads = 1
    else:
        ours_s, result, min_s, miss_s = ours()
        threads = None
    cohort_s, _ = timed(lambda: result.cohort())

    # pandas: long table built outside the timing; only the roll-up is timed.
    si, ci, ki = np.indices(x.shape, dtype=np.int32).reshape(3, -1)
    long = pd.DataFrame(
        {"student": si, "course": ci.astype(np.int16), "component": ki.astype(np.int8), "score": x.reshape(-1)}
    )
    wn = model.weights / model.full_marks[:, None] / model.weights.sum(axis=1, keepdims=True)
    wc, wk = np.indices(wn.shape)
    wdf = pd.DataFrame(
        {"course": wc.reshape(-1).astype(np.int16), "component": wk.reshape(-1).astype(np.int8), "w": wn.reshape(-1)}
    )
    sc, sp = np.nonzero(model.support_norm[:n_c])
    sdf = pd.DataFrame(
        {"course": sc.astype(np.int16), "competency": sp.astype(np.int16), "s": model.support_norm[sc, sp]}
    )
    base_s, base = timed(lambda: pandas_rollup(pd, long, wdf, sdf))
    base_arr = base.reindex(index=range(n_s), columns=range(n_p)).to_numpy()
    assert np.allclose(result.competency, base_arr, rtol=1e-4, atol=1e-5), "ours and pandas disagree"
    err = float(np.max(np.abs(result.competency - base_arr)))

    print(
        f"ours roll_up (weighted average, float32): median {ours_s * 1e3:8.1f} ms  (BLAS threads: "
        f"{threads or 'default'})"
    )
    print(f"ours, default BLAS threads:                median {default_s * 1e3:8.1f} ms")
    print(
        f"pandas merge+groupby, same roll-up:        median {base_s * 1e3:8.1f} ms  "
        f"({base_s / ours_s:.0f}x slower; max |diff| {err:.2e})"
    )
    print(f"read floor (scores.sum() once):            median {floor_s * 1e3:8.1f} ms")
    print(f"ours MINIMUM method:                       median {min_s * 1e3:8.1f} ms")
    print(f"ours with 1% scores missing (renormalise): median {miss_s * 1e3:8.1f} ms")
    print(f"cohort level from the result:              median {cohort_s * 1e3:8.1f} ms")
    print(
        json.dumps(
            {
                "median_s": round(ours_s, 5),
                "baseline_median_s": round(base_s, 5),
                "ratio": round(base_s / ours_s, 1),
                "read_floor_s": round(floor_s, 5),
                "students": n_s,
                "courses": n_c,
                "components": n_k,
                "competencies": n_p,
                "scores": int(x.size),
                "dtype": str(x.dtype),
                "blas_threads": threads or "default",
                "median_s_default_blas_threads": round(default_s, 5),
                "max_abs_diff_vs_pandas": err,
                "minimum_method_median_s": round(min_s, 5),
                "missing_1pct_median_s": round(miss_s, 5),
            }
        )
    )


if __name__ == "__main__":
    main()
