"""Checking assessment plans: weights sum as declared, college-wide rules, consistency with the matrix.

Every finding is bilingual (zh + en) and names the course and, where there is one, the component.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .data import CoursePlan, Finding, PlanRules, Severity, SupportMatrix


def _pct(x: float) -> str:
    return f"{100.0 * x:.1f}%"


def check_plan(plan: CoursePlan, rules: PlanRules | None = None) -> list[Finding]:
    """Check one course's assessment plan; return the findings (empty list: the plan is sound).

    Always checked: at least one component, unique component codes, no negative weight, weights sum to
    ``plan.declared_total``, objectives named by components are declared (when the plan declares any) and
    every declared objective is evidenced. ``rules`` adds the college-wide rules (practice share, largest
    single component, required kinds); shares are taken of the weights' actual sum.
    """
    rules = rules or PlanRules()
    c = plan.course
    out: list[Finding] = []

    def add(code: str, sev: Severity, zh: str, en: str, component: str | None = None) -> None:
        out.append(Finding(code, sev, c, zh, en, component))

    if not plan.components:
        add("EMPTY_PLAN", Severity.ERROR, f"课程 {c} 没有考核环节。", f"Course {c} has no assessment component.")
        return out
    seen: set[str] = set()
    for comp in plan.components:
        if comp.code in seen:
            add(
                "DUPLICATE_COMPONENT",
                Severity.ERROR,
                f"课程 {c} 的考核环节 {comp.code} 重复。",
                f"Course {c}: component {comp.code} appears twice.",
                comp.code,
            )
        seen.add(comp.code)
        if not math.isfinite(comp.weight) or comp.weight < 0:
            add(
                "BAD_WEIGHT",
                Severity.ERROR,
                f"课程 {c} 的考核环节 {comp.code} 权重 {comp.weight} 无效（须为非负数）。",
                f"Course {c}: component {comp.code} has weight {comp.weight}; it must be a non-negative number.",
                comp.code,
            )
    total = plan.weight_sum
    if not (math.isfinite(plan.declared_total) and plan.declared_total > 0):
        add(
            "BAD_DECLARED_TOTAL",
            Severity.ERROR,
            f"课程 {c} 的权重合计声明值 {plan.declared_total} 无效。",
            f"Course {c}: declared weight total {plan.declared_total} must be a positive number.",
        )
    elif not plan.weights_ok:
        add(
            "WEIGHT_SUM",
            Severity.ERROR,
            f"课程 {c} 的权重合计为 {total:g}，应为 {plan.declared_total:g}。",
            f"Course {c}: weights sum to {total:g}, declared {plan.declared_total:g}.",
        )
    declared = {o.code for o in plan.objectives}
    if declared:
        used: set[str] = set()
        for comp in plan.components:
            for o in comp.objectives:
                used.add(o)
                if o not in declared:
                    add(
                        "UNKNOWN_OBJECTIVE",
                        Severity.ERROR,
                        f"课程 {c} 的考核环节 {comp.code} 引用了未定义的课程目标 {o}。",
                        f"Course {c}: component {comp.code} evidences objective {o}, which the plan does not declare.",
                        comp.code,
                    )
        for o in plan.objectives:
            if o.code not in used and not any(not comp.objectives for comp in plan.components):
                add(
                    "OBJECTIVE_NOT_ASSESSED",
                    Severity.WARNING,
                    f"课程 {c} 的课程目标 {o.code} 没有任何考核环节支撑。",
                    f"Course {c}: objective {o.code} is not evidenced by any component.",
                )
    if total <= 0 or not math.isfinite(total):
        return out
    if rules.min_practice_share is not None:
        practice = math.fsum(x.weight for x in plan.components if x.kind in rules.practice_kinds) / total
        if practice < rules.min_practice_share - 1e-9:
            add(
                "PRACTICE_SHARE",
                Severity.ERROR,
                f"课程 {c} 的实践类考核占比 {_pct(practice)}，低于学校规定的 {_pct(rules.min_practice_share)}。",
                f"Course {c}: practice carries {_pct(practice)} of the weight; the college requires at least "
                f"{_pct(rules.min_practice_share)}.",
            )
    if rules.max_component_share is not None:
        for comp in plan.components:
            share = comp.weight / total
            if share > rules.max_component_share + 1e-9:
                add(
                    "COMPONENT_SHARE",
                    Severity.ERROR,
                    f"课程 {c} 的考核环节 {comp.code} 占比 {_pct(share)}，超过上限 {_pct(rules.max_component_share)}。",
                    f"Course {c}: component {comp.code} carries {_pct(share)}; the limit is "
                    f"{_pct(rules.max_component_share)}.",
                    comp.code,
                )
    kinds = {x.kind for x in plan.components}
    for kind in sorted(rules.require_kinds - kinds):
        add(
            "REQUIRED_KIND",
            Severity.ERROR,
            f"课程 {c} 缺少规定的考核环节类型：{kind.label_zh}。",
            f"Course {c}: the plan lacks a required component kind: {kind.label_en}.",
        )
    return out


def check_support(plans: Iterable[CoursePlan], support: SupportMatrix) -> list[Finding]:
    """Check plans against the support matrix: every matrix course has a plan, and a competency a
    component (or its objective) names is one the matrix says the course supports."""
    out: list[Finding] = []
    by_course = {p.course: p for p in plans}
    comp_index = {code: j for j, code in enumerate(support.competencies)}
    for i, course in enumerate(support.courses):
        plan = by_course.get(course)
        if plan is None:
            if any(support.strengths[i]):
                out.append(
                    Finding(
                        "NO_PLAN",
                        Severity.ERROR,
                        course,
                        f"课程 {course} 支撑能力但没有考核方案。",
                        f"Course {course} supports competencies but has no assessment plan.",
                    )
                )
            continue
        objective_comps = {o.code: o.competencies for o in plan.objectives}
        for comp in plan.components:
            named = set(comp.competencies)
            for o in comp.objectives:
                named.update(objective_comps.get(o, ()))
            for code in sorted(named):
                j = comp_index.get(code)
                if j is None or not support.strengths[i][j]:
                    out.append(
                        Finding(
                            "NOT_IN_MATRIX",
                            Severity.WARNING,
                            course,
                            f"课程 {course} 的考核环节 {comp.code} 指向能力 {code}，但支撑矩阵中该课程不支撑此能力。",
                            f"Course {course}: component {comp.code} evidences {code}, which the support matrix "
                            f"does not link to this course (ignored in the roll-up).",
                            comp.code,
                        )
                    )
    return out
