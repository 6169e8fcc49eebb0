"""Compiling plans and a support matrix into the small matrices the vectorised roll-up multiplies by.

The roll-up works on *evidence groups*: a group is one course and the set of its components that count as
evidence for something. Group g's value for a student is the weighted average of those components' scores
(as a fraction of full marks). The first C groups are the whole courses (the course scores); a competency
or a course objective that only some components evidence gets its own group. Which components evidence
competency p in course c:

* components that name p (directly or through one of their objectives), plus components that name no
  competency at all (general evidence such as a final exam);
* if that leaves nothing (or only zero weight), every component of the course (the matrix says the
  course supports p, so the whole course score is the evidence).

Objectives work the same way with objective codes. In the common case (no component names anything)
there are exactly C groups and competency = course scores @ normalised support matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .data import CoursePlan, Finding, RollupConfig, Severity, SupportMatrix
from .plans import check_plan, check_support


class PlanError(ValueError):
    """Plans that cannot be rolled up (weights not summing as declared, no plan for a course, ...).

    ``findings`` holds the bilingual findings behind it.
    """

    def __init__(self, findings: Sequence[Finding]):
        self.findings = tuple(findings)
        super().__init__("; ".join(f.message_en for f in self.findings))


@dataclass(frozen=True)
class AttainmentModel:
    """Plans + support matrix + config, compiled. Build it with `compile_model`; reuse it for every cohort.

    Arrays (K = ``slots``, G = groups, P = competencies):
    ``weights[C, K]`` declared weights (0 in padding), ``full_marks[C]``, ``group_course[G]``,
    ``group_mask[G, K]`` bool, ``numerator[C*K, G]`` weight / (full marks) per evidencing slot,
    ``denominator[C*K, G]`` weight per evidencing slot, ``support[G, P]`` numeric strength of the group that
    carries (course, competency), ``support_norm[G, P]`` each column divided by its sum.
    """

    plans: tuple[CoursePlan, ...]
    competencies: tuple[str, ...]
    config: RollupConfig
    slots: int
    weights: np.ndarray = field(repr=False)
    full_marks: np.ndarray = field(repr=False)
    group_course: np.ndarray = field(repr=False)
    group_mask: np.ndarray = field(repr=False)
    numerator: np.ndarray = field(repr=False)
    denominator: np.ndarray = field(repr=False)
    support: np.ndarray = field(repr=False)
    support_norm: np.ndarray = field(repr=False)
    strengths: tuple[tuple[str, ...], ...] = field(repr=False)
    objective_labels: tuple[tuple[str, str], ...] = ()
    objective_groups: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp), repr=False)

    @property
    def courses(self) -> tuple[str, ...]:
        return tuple(p.course for p in self.plans)

    def course_index(self, course: str) -> int:
        return self.courses.index(course)

    def competency_index(self, competency: str) -> int:
        try:
            return self.competencies.index(competency)
        except ValueError:
            raise KeyError(f"unknown competency {competency!r}") from None


def _names(plan: CoursePlan) -> tuple[list[set[str]], list[set[str]]]:
    """Per component: the competencies it names (directly or via objectives) and the objectives it names."""
    obj_comps = {o.code: o.competencies for o in plan.objectives}
    comps, objs = [], []
    for c in plan.components:
        named = set(c.competencies)
        for o in c.objectives:
            named.update(obj_comps.get(o, ()))
        comps.append(named)
        objs.append(set(c.objectives))
    return comps, objs


def _mask(named: list[set[str]], code: str, weights: np.ndarray, slots: int) -> tuple[bool, ...]:
    n = len(named)
    m = [code in s or not s for s in named]
    if not any(w > 0 for w, keep in zip(weights, m, strict=False) if keep):
        m = [True] * n
    return tuple(m) + (False,) * (slots - n)


def compile_model(
    plans: Sequence[CoursePlan],
    support: SupportMatrix,
    config: RollupConfig | None = None,
    *,
    slots: int | None = None,
) -> AttainmentModel:
    """Validate the plans against each other and the matrix and compile them for `roll_up`.

    Raises `PlanError` when a plan has errors (`check_plan` without college rules: weights that do not sum
    as declared, negative weights, ...) or a course of the matrix supports a competency but has no plan.
    Courses keep the plans' order; ``slots`` (default: the largest component count) is the third axis of
    the score tensor.
    """
    config = config or RollupConfig()
    plans = tuple(plans)
    errors = [f for p in plans for f in check_plan(p) if f.severity is Severity.ERROR]
    errors += [f for f in check_support(plans, support) if f.severity is Severity.ERROR]
    codes = [p.course for p in plans]
    if len(set(codes)) != len(codes):
        dup = sorted({c for c in codes if codes.count(c) > 1})
        errors.append(
            Finding(
                "DUPLICATE_COURSE",
                Severity.ERROR,
                dup[0],
                f"课程 {dup} 有多个考核方案。",
                f"Courses {dup} have more than one assessment plan.",
            )
        )
    if errors:
        raise PlanError(errors)
    n_k = max((len(p.components) for p in plans), default=0)
    slots = n_k if slots is None else slots
    if slots < n_k:
        raise ValueError(f"slots={slots} is fewer than the largest component count {n_k}")
    n_c, n_p = len(plans), len(support.competencies)
    row_of = {c: i for i, c in enumerate(support.courses)}
    weights = np.zeros((n_c, slots))
    for i, p in enumerate(plans):
        weights[i, : len(p.components)] = [c.weight for c in p.components]
    full = np.array([p.full_marks for p in plans], dtype=float)

    groups: dict[tuple[int, tuple[bool, ...]], int] = {}
    for i, p in enumerate(plans):
        groups[(i, (True,) * len(p.components) + (False,) * (slots - len(p.components)))] = i
    strengths: list[tuple[str, ...]] = []
    links: list[tuple[int, int, float]] = []
    for i, p in enumerate(plans):
        row = support.strengths[row_of[p.course]] if p.course in row_of else ("",) * n_p
        strengths.append(tuple(row))
        named, _ = _names(p)
        for j, s in enumerate(row):
            value = config.strength_value(s)
            if value > 0:
                g = groups.setdefault((i, _mask(named, support.competencies[j], weights[i], slots)), len(groups))
                links.append((g, j, value))
    obj_labels: list[tuple[str, str]] = []
    obj_groups: list[int] = []
    for i, p in enumerate(plans):
        _, named_obj = _names(p)
        for o in p.objectives:
            g = groups.setdefault((i, _mask(named_obj, o.code, weights[i], slots)), len(groups))
            obj_labels.append((p.course, o.code))
            obj_groups.append(g)

    n_g = len(groups)
    group_course = np.empty(n_g, dtype=np.intp)
    group_mask = np.zeros((n_g, slots), dtype=bool)
    for (i, m), g in groups.items():
        group_course[g] = i
        group_mask[g] = m
    numerator = np.zeros((n_c * slots, n_g))
    denominator = np.zeros((n_c * slots, n_g))
    for g in range(n_g):
        i = group_course[g]
        w = weights[i] * group_mask[g]
        denominator[i * slots : (i + 1) * slots, g] = w
        numerator[i * slots : (i + 1) * slots, g] = w / full[i]
    sup = np.zeros((n_g, n_p))
    for g, j, value in links:
        sup[g, j] = value
    col = sup.sum(axis=0)
    sup_norm = np.divide(sup, col, out=np.zeros_like(sup), where=col > 0)
    return AttainmentModel(
        plans=plans,
        competencies=tuple(support.competencies),
        config=config,
        slots=slots,
        weights=weights,
        full_marks=full,
        group_course=group_course,
        group_mask=group_mask,
        numerator=numerator,
        denominator=denominator,
        support=sup,
        support_norm=sup_norm,
        strengths=tuple(strengths),
        objective_labels=tuple(obj_labels),
        objective_groups=np.asarray(obj_groups, dtype=np.intp),
    )
