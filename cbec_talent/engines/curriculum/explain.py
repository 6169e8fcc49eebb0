"""Why a plan looks the way it does: binding constraints and, for infeasible requests, conflicts."""

from __future__ import annotations

import numpy as np

from .data import BindingConstraint, Conflict, Text
from .model import GROUPS, Model, Row
from .solve import solve_model

GROUP_NAMES = {
    "required_courses": ("必修课程", "required courses"),
    "total_credits": ("总学分", "total credits"),
    "total_hours": ("总学时", "total hours"),
    "theory_share": ("理论实践比例", "theory:practice bounds"),
    "semester_load": ("学期负荷", "per-semester loads"),
    "prerequisites": ("先修关系", "prerequisites"),
    "module_minimums": ("模块最低学分", "module minimums"),
    "high_support": ("高支撑课程", "high-strength support"),
    "certificate_modules": ("证书模块（课证融通）", "certificate modules to prepare"),
}


def coverage_of(model: Model, chosen: set[int]) -> dict[str, float]:
    """Coverage z_k in [0, 1] of each weighted competency by the chosen course indices."""
    return {
        k: min(1.0, sum(u for i, u in model.units[k].items() if i in chosen) / model.saturation(k))
        for k in model.z_cols
    }


def gain_of(model: Model, chosen: set[int], cov: dict[str, float], i: int) -> float:
    """Objective gain of adding course ``i`` to ``chosen``."""
    g = 0.0
    for sup in model.courses[i].supports:
        k = sup.competency
        if k in cov and i in model.units[k]:
            new = min(1.0, cov[k] + model.units[k][i] / model.saturation(k))
            g += model.obj[model.z_cols[k]] * (new - cov[k])
    return g


def _activity(row: Row, values: np.ndarray) -> float:
    return float(np.dot(values[row.cols], row.vals)) if row.cols else 0.0


def binding_constraints(model: Model, values: np.ndarray, tol: float = 1e-6) -> list[BindingConstraint]:
    """Rows at one of their bounds in the plan, each with a reason a reader can check."""
    chosen = {i for (i, _), col in model.x_cols.items() if values[col] > 0.5}
    sem_of = {i: s for (i, s), col in model.x_cols.items() if values[col] > 0.5}
    cov = coverage_of(model, chosen)
    gains = sorted(
        ((gain_of(model, chosen, cov, i), i) for i in range(len(model.courses)) if i not in chosen),
        reverse=True,
    )
    out: list[BindingConstraint] = []
    for row in model.rows:
        act = _activity(row, values)
        at_upper = np.isfinite(row.upper) and abs(act - row.upper) <= tol * max(1.0, abs(row.upper))
        at_lower = np.isfinite(row.lower) and abs(act - row.lower) <= tol * max(1.0, abs(row.lower))
        if row.group == "prerequisites":
            code_p, rest = row.name.split(" before ", 1)
            code_c = rest.split(" (", 1)[0]
            i, j = model.index[code_c], model.index[code_p]
            if (
                at_upper
                and i in sem_of
                and j in sem_of
                and sem_of[j] == sem_of[i] - 1
                and f"(semester {sem_of[i]})" in row.name
            ):
                out.append(
                    BindingConstraint(
                        row.group,
                        row.name,
                        act,
                        row.upper,
                        Text(
                            f"{code_c} 安排在其先修课程 {code_p} 之后的第一个学期，不能再提前",
                            f"{code_c} sits in the first semester after its prerequisite {code_p}; "
                            "it cannot move earlier",
                        ),
                    )
                )
            continue
        if row.group == "required_courses":
            if at_lower:
                code = row.name.split(":", 1)[1]
                out.append(
                    BindingConstraint(
                        row.group,
                        row.name,
                        act,
                        row.lower,
                        Text(
                            f"{code} 为必修课程，必须排入方案",
                            f"{code} is required, so the plan must include it",
                        ),
                    )
                )
            continue
        if at_upper and row.upper > 0 or (at_upper and row.group == "theory_share"):
            blocked = _best_blocked(model, row, values, gains)
            why_en = f"{row.name} is at its upper limit {row.upper:g}"
            why_zh = f"{_zh(row)} 已达上限 {row.upper:g}"
            if blocked is not None:
                code, gain = blocked
                why_en += f": adding {code} (+{gain:.3f} coverage) would exceed it"
                why_zh += f"：加入 {code}（覆盖度 +{gain:.3f}）将超出上限"
            out.append(BindingConstraint(row.group, row.name, act, row.upper, Text(why_zh, why_en)))
        elif at_lower and (row.lower != 0 or row.group == "theory_share"):
            out.append(
                BindingConstraint(
                    row.group,
                    row.name,
                    act,
                    row.lower,
                    Text(
                        f"{_zh(row)} 恰好达到下限 {row.lower:g}：其他约束不允许更多",
                        f"{row.name} is exactly at its minimum {row.lower:g}: " + _NO_ROOM,
                    ),
                )
            )
    return out


_NO_ROOM = "other limits leave no room for more"
_CHECK_OFFERED = "check the catalogue's offered semesters"


def _zh(row: Row) -> str:
    return f"{GROUP_NAMES.get(row.group, (row.group,))[0]}（{row.name}）"


def _best_blocked(model: Model, row: Row, values: np.ndarray, gains: list[tuple[float, int]]):
    """The unchosen course with the largest gain whose addition (in any offered semester) breaks ``row``."""
    coef = dict(zip(row.cols, row.vals, strict=True))
    act = _activity(row, values)
    for gain, i in gains:
        if gain <= 1e-9:
            return None
        ycoef = coef.get(model.y_cols.get(i, -1), 0.0)
        deltas = [ycoef + coef.get(col, 0.0) for (ci, _), col in model.x_cols.items() if ci == i]
        if deltas and all(act + d > row.upper + 1e-9 for d in deltas):
            return model.courses[i].code, gain
    return None


MEMBER_GROUPS = ("required_courses", "module_minimums", "high_support", "certificate_modules")


def explain_infeasible(model: Model, time_limit: float = 30.0) -> Conflict:
    """Deletion filter over constraint groups: drop each group in turn; if the rest is still infeasible the
    group is not needed for the conflict. What remains is a minimal conflicting set of groups (relaxing
    any one of them makes the request feasible). Within the conflicting required-course, module-minimum and
    high-support groups (up to 40 rows each) the same filter then names the rows that matter. A check that
    hits its time limit counts as feasible, so the answer may name more constraints than needed but is always
    a set proven infeasible."""
    present = [g for g in GROUPS if any(r.group == g for r in model.rows)]
    if solve_model(model, [], with_objective=False, time_limit=time_limit).status == "infeasible":
        return Conflict(
            (),
            Text(
                "即使去掉所有约束组也无解：课程目录本身无法排课（检查开课学期）",
                "infeasible even with every constraint group relaxed: " + _CHECK_OFFERED,
            ),
        )
    keep = list(present)
    for g in present:
        trial = [x for x in keep if x != g]
        if solve_model(model, trial, with_objective=False, time_limit=time_limit).status == "infeasible":
            keep = trial
    members: list[str] = []
    dropped: set[str] = set()
    for g in keep:
        names = [r.name for r in model.rows if r.group == g]
        if g not in MEMBER_GROUPS or len(names) > 40:
            continue
        for name in names:
            trial = dropped | {name}
            sol = solve_model(model, keep, with_objective=False, time_limit=time_limit, dropped=trial)
            if sol.status == "infeasible":
                dropped = trial
            else:
                members.append(name)
    zh = "、".join(GROUP_NAMES[g][0] for g in keep)
    en = ", ".join(GROUP_NAMES[g][1] for g in keep)
    detail = f" ({', '.join(members)})" if members else ""
    return Conflict(
        tuple(keep),
        Text(
            f"以下约束相互冲突，放宽其中任意一项即可求解：{zh}{detail}",
            f"these constraints conflict; relaxing any one of them makes the request feasible: {en}{detail}",
        ),
        tuple(members),
    )
