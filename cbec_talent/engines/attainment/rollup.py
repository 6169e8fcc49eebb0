"""The vectorised roll-up: component scores -> evidence groups (courses, objectives) -> competencies ->
programme (cohort) level, by the programme's method, NaN-aware, plus students at risk.

Cost: one matrix product ``scores[S, C*K] @ numerator[C*K, G]`` (BLAS, in the scores' dtype), one
``[S, G] @ [G, P]`` product, and when scores are missing one more pair for the present-weight denominators.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .data import (
    CohortAttainment,
    Method,
    MissingPolicy,
    RiskFlag,
    ScoreTensor,
)
from .model import AttainmentModel


@dataclass(frozen=True)
class Attainment:
    """Result of `roll_up`: every level's numbers, and how to explain any of them.

    ``group_values[S, G]`` (first C columns are the courses) and ``competency[S, P]`` are fractions of full
    marks in [0, 1]; NaN means "no evidence yet" (only under MissingPolicy.RENORMALISE).
    """

    model: AttainmentModel
    scores: ScoreTensor = field(repr=False)
    group_values: np.ndarray = field(repr=False)
    competency: np.ndarray = field(repr=False)

    @property
    def course_values(self) -> np.ndarray:
        """``[S, C]`` course attainment, fraction of full marks."""
        return self.group_values[:, : len(self.model.plans)]

    @property
    def course_scores(self) -> np.ndarray:
        """``[S, C]`` course final scores (总评成绩) on each course's own scale."""
        return self.course_values * self.model.full_marks.astype(self.group_values.dtype)

    @property
    def objective_values(self) -> np.ndarray:
        """``[S, O]`` course-objective attainment; columns follow ``model.objective_labels``."""
        return self.group_values[:, self.model.objective_groups]

    def cohort(self) -> CohortAttainment:
        """Programme-level attainment per competency by the programme's method (see `Method`)."""
        return cohort_attainment(self)

    def objective_cohort(self) -> np.ndarray:
        """Cohort mean attainment of each course objective (NaN-ignoring), following objective_labels."""
        with _quiet():
            return np.nanmean(self.objective_values, axis=0)

    def at_risk(self, threshold: float | None = None) -> list[RiskFlag]:
        """Students below ``threshold`` (default config.risk_threshold) on any competency, with those
        competencies (weakest first) and their values. Not-yet-assessed (NaN) values never flag."""
        return students_at_risk(self, threshold)


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence numpy's "mean of empty slice" warnings for all-NaN columns (they are documented NaNs)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _check_scores(scores: ScoreTensor, model: AttainmentModel) -> np.ndarray:
    if scores.courses != model.courses:
        raise ValueError("scores: courses must be the model's courses in the same order (model.courses)")
    x = scores.values
    if x.shape[2] != model.slots:
        raise ValueError(f"scores: {x.shape[2]} component slots, the model has {model.slots}")
    return x.reshape(x.shape[0], x.shape[1] * x.shape[2])


def group_values(scores: ScoreTensor, model: AttainmentModel) -> np.ndarray:
    """``[S, G]`` evidence-group attainment (fraction of full marks), NaN-aware per ``model.config.missing``.

    RENORMALISE: sum(w * x over present) / sum(w over present); a group with nothing present is NaN.
    ZERO: missing counts as 0; the denominator is the group's whole weight.
    """
    x = _check_scores(scores, model)
    dt = x.dtype
    num_m = model.numerator.astype(dt)
    den_full = model.denominator.sum(axis=0).astype(dt)
    num = x @ num_m
    if not np.isnan(num).any():
        num /= den_full
        return num
    missing = np.isnan(x)
    x0 = x.copy()
    np.copyto(x0, dt.type(0), where=missing)
    num = x0 @ num_m
    if model.config.missing is MissingPolicy.ZERO:
        num /= den_full
        return num
    den = (~missing).view(np.uint8).astype(dt) @ model.denominator.astype(dt)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    out[den <= 0] = np.nan
    return out


def competency_values(values: np.ndarray, model: AttainmentModel) -> np.ndarray:
    """``[S, P]`` student x competency attainment from group values, by the programme's method.

    WEIGHTED_AVERAGE and SHARE_OVER_THRESHOLD: support-weighted average over supporting courses (over the
    present ones under RENORMALISE). MINIMUM: the lowest supporting course (ignoring not-yet-assessed ones).
    A competency no course supports is NaN.
    """
    dt = values.dtype
    n_s, n_p = values.shape[0], len(model.competencies)
    supported = model.support.sum(axis=0) > 0
    if model.config.method is Method.MINIMUM:
        out = np.full((n_p, n_s), np.nan, dtype=dt)
        by_group = np.ascontiguousarray(values.T)
        for j in np.flatnonzero(supported):
            idx = np.flatnonzero(model.support[:, j] > 0)
            np.fmin.reduce(by_group[idx], axis=0, out=out[j])
        return np.ascontiguousarray(out.T)
    s_norm = model.support_norm.astype(dt)
    nan = np.isnan(values)
    if not nan.any():
        out = values @ s_norm
    else:
        num = np.where(nan, dt.type(0), values) @ s_norm
        den = (~nan).astype(dt) @ s_norm
        with np.errstate(invalid="ignore", divide="ignore"):
            out = num / den
        out[den <= 0] = np.nan
    out[:, ~supported] = np.nan
    return out


def roll_up(scores: ScoreTensor, model: AttainmentModel) -> Attainment:
    """Roll a cohort's component scores up to courses, objectives and competencies (student level).

    ``scores.values`` is float32 or float64 and the arithmetic stays in that dtype. Padding slots (beyond a
    course's components) must be NaN or within the scale; they carry weight 0.
    """
    gv = group_values(scores, model)
    return Attainment(model=model, scores=scores, group_values=gv, competency=competency_values(gv, model))


def cohort_attainment(result: Attainment) -> CohortAttainment:
    """Programme-level value per competency (see `Method`); ``assessed`` counts students with a value."""
    model, comp = result.model, result.competency
    cfg = model.config
    assessed = np.sum(~np.isnan(comp), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"), _quiet():
        if cfg.method is Method.WEIGHTED_AVERAGE:
            values = np.nanmean(comp, axis=0)
        elif cfg.method is Method.SHARE_OVER_THRESHOLD:
            hits = np.sum(comp >= cfg.threshold, axis=0)
            values = np.where(assessed > 0, hits / np.maximum(assessed, 1), np.nan)
        else:
            course_means = np.nanmean(result.group_values, axis=0)
            values = np.full(len(model.competencies), np.nan)
            for j in range(len(model.competencies)):
                idx = np.flatnonzero(model.support[:, j] > 0)
                if idx.size:
                    values[j] = np.fmin.reduce(course_means[idx])
    return CohortAttainment(
        competencies=model.competencies,
        method=cfg.method,
        values=np.asarray(values, dtype=float),
        assessed=assessed,
        target=cfg.target,
    )


def students_at_risk(result: Attainment, threshold: float | None = None) -> list[RiskFlag]:
    """Flag students below ``threshold`` on any competency, naming those competencies (weakest first)."""
    cut = result.model.config.risk_threshold if threshold is None else threshold
    comp = result.competency
    with np.errstate(invalid="ignore"):
        low = comp < cut
    rows = np.flatnonzero(low.any(axis=1))
    codes = result.model.competencies
    students = result.scores.students
    flags = []
    for i in rows:
        cols = np.flatnonzero(low[i])
        cols = cols[np.argsort(comp[i, cols], kind="stable")]
        flags.append(RiskFlag(int(i), students[i], tuple((codes[j], float(comp[i, j])) for j in cols)))
    return flags
