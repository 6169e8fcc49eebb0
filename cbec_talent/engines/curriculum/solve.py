"""Run a ``Model`` on HiGHS (highspy), optionally with some constraint groups switched off."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import highspy
import numpy as np

from .model import INF, Model, Row

Progress = Callable[[float, str], None]


@dataclass
class Solution:
    status: str  # "optimal" | "feasible" (gap left) | "infeasible" | "time_limit" (no plan yet) | "error"
    values: np.ndarray  # column values ([] when no solution)
    objective: float
    bound: float
    gap: float


def _add_rows(h: highspy.Highs, rows: Iterable[Row]) -> None:
    rows = list(rows)
    if not rows:
        return
    lower = np.array([r.lower for r in rows], dtype=np.float64)
    upper = np.array([r.upper for r in rows], dtype=np.float64)
    starts = np.zeros(len(rows), dtype=np.int32)
    idx: list[int] = []
    val: list[float] = []
    for n, r in enumerate(rows):
        starts[n] = len(idx)
        idx.extend(r.cols)
        val.extend(r.vals)
    lower[lower == -INF] = -highspy.kHighsInf
    upper[upper == INF] = highspy.kHighsInf
    h.addRows(
        len(rows),
        lower,
        upper,
        len(idx),
        starts,
        np.array(idx, dtype=np.int32),
        np.array(val, dtype=np.float64),
    )


def solve_model(
    model: Model,
    groups: Iterable[str] | None = None,
    *,
    with_objective: bool = True,
    time_limit: float = 60.0,
    mip_gap: float = 0.0,
    progress: Progress | None = None,
    dropped: set[str] | None = None,
) -> Solution:
    """Solve with the constraint groups in ``groups`` (all when None). Without objective it only tests
    feasibility (used by the conflict filter)."""
    active = None if groups is None else set(groups)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("mip_abs_gap", 1e-9 if mip_gap == 0 else 1e-6)
    h.setOptionValue("threads", 1)
    n = model.n_cols
    obj = model.obj if with_objective else np.zeros(n)
    h.addVars(n, np.zeros(n), model.col_upper.astype(np.float64))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), obj.astype(np.float64))
    nx = len(model.x_cols) + len(model.y_cols)
    if nx:
        h.changeColsIntegrality(nx, np.arange(nx, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * nx))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    _add_rows(h, model.structural)
    skip = dropped or set()
    _add_rows(h, (r for r in model.rows if (active is None or r.group in active) and r.name not in skip))
    if progress is not None:

        def on_improve(e) -> None:
            d = e.data_out
            progress(
                max(0.0, min(1.0, 1.0 - float(d.mip_gap))),
                f"incumbent {d.objective_function_value:.4f}, bound {d.mip_dual_bound:.4f}",
            )

        h.cbMipImprovingSolution.subscribe(on_improve)
    h.run()
    st = h.getModelStatus()
    info = h.getInfo()
    if st == highspy.HighsModelStatus.kInfeasible:
        return Solution("infeasible", np.array([]), float("nan"), float("nan"), float("nan"))
    if info.primal_solution_status != 2:
        status = "time_limit" if st == highspy.HighsModelStatus.kTimeLimit else "error"
        return Solution(status, np.array([]), float("nan"), float("nan"), float("nan"))
    values = np.array(h.getSolution().col_value)
    objective = float(obj @ values)
    bound = float(info.mip_dual_bound) if nx else objective
    gap = float(info.mip_gap) if nx else 0.0
    status = "optimal" if st == highspy.HighsModelStatus.kOptimal else "feasible"
    return Solution(status, values, objective, bound, gap)
