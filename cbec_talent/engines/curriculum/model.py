"""The MILP of the optimiser, built as plain arrays so constraint groups can be switched off.

Variables: ``x[c,s]`` binary (course c taken in semester s, only for semesters the course is offered in),
``y[c] = sum_s x[c,s]`` binary (course c taken; explicit so budgets are short rows and the solver can
branch on the choice of a course rather than on its semester) and ``z[k]`` in [0, 1] (coverage of k).
Objective: maximise sum_k w_k z_k with ``saturation_k * z_k <= sum_c strength_units(c,k) y[c]``.
Every course is taken at most once.
Prerequisites use the disaggregated cumulative form (for each semester s of the dependant c:
``sum_{s'<=s} x[c,s'] <= sum_{s'<s} x[p,s']``), which is much tighter than one big-M row per edge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import LEVEL_RANK, STRENGTH_VALUE, Course, OptimiserRequest

DEFAULT_SATURATION = 3.0 * LEVEL_RANK["master"]  # three high-strength courses cover a competency fully
GROUPS = (
    "required_courses",
    "total_credits",
    "total_hours",
    "theory_share",
    "semester_load",
    "prerequisites",
    "module_minimums",
    "high_support",
    "certificate_modules",
)
INF = float("inf")


class RequestError(ValueError):
    """A request that names unknown courses or is malformed."""


@dataclass
class Row:
    group: str
    name: str
    cols: list[int]
    vals: list[float]
    lower: float
    upper: float


@dataclass
class Model:
    request: OptimiserRequest
    courses: list[Course]
    index: dict[str, int]
    x_cols: dict[tuple[int, int], int]  # (course index, semester) -> column
    y_cols: dict[int, int]  # course index -> column of "course taken" (= sum of its x)
    z_cols: dict[str, int]  # competency -> column
    n_cols: int
    obj: np.ndarray
    col_upper: np.ndarray
    structural: list[Row]  # never relaxed (at most once, coverage definition)
    rows: list[Row]  # grouped constraints
    units: dict[str, dict[int, float]]  # competency -> {course index: strength units}

    def saturation(self, k: str) -> float:
        return float(self.request.saturation.get(k, DEFAULT_SATURATION))


def _bounded(group: str, name: str, cols: list[int], vals: list[float], lo, hi) -> Row:
    return Row(group, name, cols, vals, -INF if lo is None else float(lo), INF if hi is None else float(hi))


def build_model(req: OptimiserRequest) -> Model:
    """Translate a request into rows; raises ``RequestError`` for unknown course codes."""
    courses = list(req.catalogue)
    index = {c.code: i for i, c in enumerate(courses)}
    if len(index) != len(courses):
        raise RequestError("duplicate course codes in the catalogue / 课程目录中有重复的课程代码")
    for code in req.required:
        if code not in index:
            raise RequestError(f"required course {code!r} is not in the catalogue / 必修课程 {code} 不在课程目录中")
    x_cols: dict[tuple[int, int], int] = {}
    for i, c in enumerate(courses):
        for s in sorted(set(c.semesters)):
            if 1 <= s <= req.semesters:
                x_cols[(i, s)] = len(x_cols)
    units: dict[str, dict[int, float]] = {}
    for i, c in enumerate(courses):
        for sup in c.supports:
            if req.weights.get(sup.competency, 0.0) > 0:
                units.setdefault(sup.competency, {})
                units[sup.competency][i] = units[sup.competency].get(i, 0.0) + STRENGTH_VALUE[sup.strength]
    comps = sorted(units)
    offered = sorted({i for i, _ in x_cols})
    y_cols = {i: len(x_cols) + j for j, i in enumerate(offered)}
    z_cols = {k: len(x_cols) + len(y_cols) + j for j, k in enumerate(comps)}
    n = len(x_cols) + len(y_cols) + len(z_cols)
    obj = np.zeros(n)
    col_upper = np.ones(n)
    for k, col in z_cols.items():
        obj[col] = float(req.weights[k])
        reach = sum(units[k].values()) / (DEFAULT_SATURATION if k not in req.saturation else req.saturation[k])
        col_upper[col] = min(1.0, reach)
    by_course: dict[int, list[tuple[int, int]]] = {}
    for (i, s), col in x_cols.items():
        by_course.setdefault(i, []).append((s, col))
    structural: list[Row] = []
    for i, cs in by_course.items():
        cols = [y_cols[i]] + [c for _, c in cs]
        structural.append(Row("structure", f"once:{courses[i].code}", cols, [1.0] + [-1.0] * len(cs), 0.0, 0.0))
    model = Model(req, courses, index, x_cols, y_cols, z_cols, n, obj, col_upper, structural, [], units)
    for k, col in z_cols.items():
        cols = [col]
        vals = [model.saturation(k)]
        for i, u in units[k].items():
            if i in y_cols:
                cols.append(y_cols[i])
                vals.append(-u)
        structural.append(Row("structure", f"coverage:{k}", cols, vals, -INF, 0.0))
    _add_groups(model, by_course)
    return model


def _add_groups(m: Model, by_course: dict[int, list[tuple[int, int]]]) -> None:
    req, courses, rows = m.request, m.courses, m.rows
    all_x = sorted(m.x_cols.items(), key=lambda kv: kv[1])
    all_y = sorted(m.y_cols.items(), key=lambda kv: kv[1])
    for code in req.required:
        ys = [m.y_cols[m.index[code]]] if m.index[code] in m.y_cols else []
        rows.append(Row("required_courses", f"required:{code}", ys, [1.0] * len(ys), 1.0, INF))

    def weighted(f):
        return [col for _, col in all_y], [float(f(courses[i])) for i, _ in all_y]

    if req.total_credits is not None:
        cols, vals = weighted(lambda c: c.credits)
        rows.append(
            _bounded("total_credits", "total credits", cols, vals, req.total_credits.min, req.total_credits.max)
        )
    if req.total_hours is not None:
        cols, vals = weighted(lambda c: c.total_hours)
        rows.append(_bounded("total_hours", "total hours", cols, vals, req.total_hours.min, req.total_hours.max))
    if req.theory_share is not None:
        if req.theory_share.min is not None:
            lo = req.theory_share.min
            cols, vals = weighted(lambda c: c.theory_hours - lo * c.total_hours)
            rows.append(Row("theory_share", "theory share minimum", cols, vals, 0.0, INF))
        if req.theory_share.max is not None:
            hi = req.theory_share.max
            cols, vals = weighted(lambda c: c.theory_hours - hi * c.total_hours)
            rows.append(Row("theory_share", "theory share maximum", cols, vals, -INF, 0.0))
    if req.semester_credits is not None:
        for s in range(1, req.semesters + 1):
            items = [(col, float(courses[i].credits)) for (i, t), col in all_x if t == s]
            rows.append(
                _bounded(
                    "semester_load",
                    f"semester {s} credits",
                    [c for c, _ in items],
                    [v for _, v in items],
                    req.semester_credits.min,
                    req.semester_credits.max,
                )
            )
    for i, c in enumerate(courses):
        for p in c.prerequisites:
            if p not in m.index:
                raise RequestError(
                    f"course {c.code}: prerequisite {p!r} is not in the catalogue / "
                    f"课程 {c.code} 的先修课程 {p} 不在课程目录中"
                )
            j = m.index[p]
            for s, _ in sorted(by_course.get(i, [])):
                cols = [col for t, col in by_course[i] if t <= s] + [col for t, col in by_course.get(j, []) if t < s]
                vals = [1.0 if t <= s else 0.0 for t, _ in by_course[i] if t <= s]
                vals += [-1.0 for t, _ in by_course.get(j, []) if t < s]
                rows.append(Row("prerequisites", f"{p} before {c.code} (semester {s})", cols, vals, -INF, 0.0))
    for mod, minimum in sorted(req.module_min_credits.items()):
        items = [(col, float(courses[i].credits)) for i, col in all_y if courses[i].module == mod]
        rows.append(
            Row(
                "module_minimums",
                f"module {mod} credits",
                [c for c, _ in items],
                [v for _, v in items],
                float(minimum),
                INF,
            )
        )
    for k in req.high_support:
        items = [
            col for i, col in all_y if any(sp.competency == k and sp.strength == "H" for sp in courses[i].supports)
        ]
        rows.append(Row("high_support", f"high-strength course for {k}", items, [1.0] * len(items), 1.0, INF))
    for need in req.certificate_modules:
        label = f"{need.certificate} {need.level} module {need.module}"
        offered = [(m.y_cols[m.index[c]], i) for i, c in enumerate(need.courses) if m.index.get(c) in m.y_cols]
        cols = [col for col, _ in offered]
        rows.append(Row("certificate_modules", f"{label}: a course that prepares it", cols, [1.0] * len(cols), 1.0,
                        INF))
        if need.min_hours > 0:
            hours = [float(need.hours[i]) if i < len(need.hours) else 0.0 for _, i in offered]
            rows.append(Row("certificate_modules", f"{label}: {need.min_hours:g} hours", cols, hours,
                            float(need.min_hours), INF))
