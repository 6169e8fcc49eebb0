"""Explaining one number: which courses, components, weights and scores produced a student's attainment."""

from __future__ import annotations

import math

import numpy as np

from .data import (
    CohortCourse,
    CohortExplanation,
    ComponentEvidence,
    CourseEvidence,
    Explanation,
    Method,
    MissingPolicy,
)
from .rollup import Attainment


def _components(result: Attainment, student: int, group: int) -> tuple[ComponentEvidence, ...]:
    model = result.model
    c = int(model.group_course[group])
    plan = model.plans[c]
    row = result.scores.values[student, c]
    mask = model.group_mask[group]
    renorm = model.config.missing is MissingPolicy.RENORMALISE
    used_total = math.fsum(
        comp.weight for k, comp in enumerate(plan.components) if mask[k] and not (renorm and math.isnan(float(row[k])))
    )
    out = []
    for k, comp in enumerate(plan.components):
        if not mask[k]:
            continue
        score = float(row[k])
        missing = math.isnan(score)
        counts = not (renorm and missing)
        out.append(
            ComponentEvidence(
                course=plan.course,
                component=comp.code,
                kind=comp.kind,
                declared_weight=comp.weight,
                used_weight=comp.weight / used_total if counts and used_total > 0 else 0.0,
                score=0.0 if missing and not renorm else score,
                full_marks=plan.full_marks,
                missing=missing,
            )
        )
    return tuple(out)


def explain(result: Attainment, student_index: int, competency: str) -> Explanation:
    """Explain ``result.competency[student_index, competency]``.

    The explanation lists each supporting course with its strength, its normalised support weight, the
    student's evidence value for the competency in that course (fraction of full marks) and the components
    behind it with declared and used weights (used weights are renormalised over present components under
    MissingPolicy.RENORMALISE) and the scores. Under MINIMUM the course that set the value is ``decisive``;
    under the averaging methods every course with evidence is.
    """
    model = result.model
    j = model.competency_index(competency)
    if not 0 <= student_index < result.competency.shape[0]:
        raise IndexError(f"student index {student_index} out of range")
    value = float(result.competency[student_index, j])
    groups = np.flatnonzero(model.support[:, j] > 0)
    gvals = result.group_values[student_index, groups].astype(float)
    decisive = ~np.isnan(gvals)
    if model.config.method is Method.MINIMUM and decisive.any():
        decisive = np.zeros_like(decisive)
        decisive[int(np.nanargmin(gvals))] = True
    present = ~np.isnan(gvals)
    sw = model.support_norm[groups, j]
    sw_used = sw / sw[present].sum() if present.any() else np.zeros_like(sw)
    courses = []
    for n, g in enumerate(groups):
        c = int(model.group_course[g])
        courses.append(
            CourseEvidence(
                course=model.plans[c].course,
                strength=model.strengths[c][j],
                support_weight=float(sw_used[n]) if present[n] else 0.0,
                value=float(gvals[n]),
                components=_components(result, student_index, int(g)),
                decisive=bool(decisive[n]),
            )
        )
    if model.config.method is Method.MINIMUM:
        en = "minimum over supporting courses of sum(used_weight * score / full_marks)"
        zh = "取各支撑课程达成度的最小值；课程达成度 = Σ(实际权重 × 得分 / 满分)"
    else:
        en = "sum over courses of support_weight * sum(used_weight * score / full_marks)"
        zh = "Σ 课程支撑权重 × 课程达成度；课程达成度 = Σ(实际权重 × 得分 / 满分)"
    return Explanation(
        student=result.scores.students[student_index],
        competency=competency,
        method=model.config.method,
        missing=model.config.missing,
        value=value,
        courses=tuple(courses),
        formula_en=en,
        formula_zh=zh,
    )


def explain_course(result: Attainment, student_index: int, course: str) -> CourseEvidence:
    """Explain a student's course score: the components, declared and used weights, and scores."""
    c = result.model.course_index(course)
    value = float(result.group_values[student_index, c])
    return CourseEvidence(
        course=course,
        strength="",
        support_weight=0.0,
        value=value,
        components=_components(result, student_index, c),
        decisive=not math.isnan(value),
    )


def explain_cohort(result: Attainment, competency: str) -> CohortExplanation:
    """Explain the programme-level value of ``competency``: students counted, supporting courses with their
    cohort means, and (MINIMUM) the course that set it or (SHARE_OVER_THRESHOLD) how many students reached
    the threshold."""
    model = result.model
    cfg = model.config
    j = model.competency_index(competency)
    cohort = result.cohort()
    col = result.competency[:, j]
    groups = np.flatnonzero(model.support[:, j] > 0)
    gv = result.group_values[:, groups].astype(float)
    counts = np.sum(~np.isnan(gv), axis=0)
    means = np.array([np.nanmean(gv[:, n]) if counts[n] else np.nan for n in range(groups.size)])
    decisive = np.zeros(groups.size, dtype=bool)
    if cfg.method is Method.MINIMUM and (~np.isnan(means)).any():
        decisive[int(np.nanargmin(means))] = True
    courses = tuple(
        CohortCourse(
            course=model.plans[int(model.group_course[g])].course,
            strength=model.strengths[int(model.group_course[g])][j],
            support_weight=float(model.support_norm[g, j]),
            cohort_mean=float(means[n]),
            assessed=int(counts[n]),
            decisive=bool(decisive[n]),
        )
        for n, g in enumerate(groups)
    )
    share = cfg.method is Method.SHARE_OVER_THRESHOLD
    with np.errstate(invalid="ignore"):
        over = int(np.sum(col >= cfg.threshold)) if share else None
    if cfg.method is Method.MINIMUM:
        en = "minimum over supporting courses of the cohort's mean course attainment"
        zh = "取各支撑课程平均达成度的最小值"
    elif share:
        en, zh = "students at or over the threshold / students assessed", "达到阈值的学生数 / 已评价学生数"
    else:
        en, zh = "mean over assessed students of their attainment", "已评价学生达成度的平均值"
    return CohortExplanation(
        competency=competency,
        method=cfg.method,
        value=float(cohort.values[j]),
        assessed=int(cohort.assessed[j]),
        students_at_or_over=over,
        threshold=cfg.threshold if share else None,
        courses=courses,
        formula_en=en,
        formula_zh=zh,
    )
