"""Enterprises' own rankings of their applicants, merged with fit scores into one score per application.

A post's enterprise may rank some applicants (1 = first choice) and decline others. Ranked applicants come
first, in the enterprise's order; applicants it did not rank follow by fit score (the caller's tie-break then
applies); declined applicants are never matched to that post. The result feeds
``build_instance(..., post_score=scores, min_score=ACCEPT_FROM)``.
"""

from __future__ import annotations

import numpy as np

ACCEPT_FROM = -0.5  # pass as ``min_score``: declined applications score below it
_DECLINED = -1.0
_RANKED_BASE = 2.0  # above every fit score (fit scores lie in [0, 1])


def merge_enterprise_ranks(fit: np.ndarray, enterprise_rank: np.ndarray, declined: np.ndarray) -> np.ndarray:
    """(applications,) scores, higher is better. ``enterprise_rank``: 1-based rank or 0 for "not ranked";
    ``declined``: bool. Raises ValueError on shapes that differ, fit scores outside [0, 1] or ranks below 0."""
    fit = np.asarray(fit, dtype=np.float64)
    rank = np.asarray(enterprise_rank, dtype=np.int64)
    out_declined = np.asarray(declined, dtype=bool)
    if not (fit.shape == rank.shape == out_declined.shape):
        raise ValueError("fit, enterprise_rank and declined need one value per application")
    if fit.size and (np.isnan(fit).any() or fit.min() < 0.0 or fit.max() > 1.0):
        raise ValueError("fit scores must lie in [0, 1]")
    if (rank < 0).any():
        raise ValueError("ranks start at 1 (0 = not ranked)")
    scores = fit.copy()
    ranked = rank > 0
    scores[ranked] = _RANKED_BASE + 1.0 / rank[ranked]
    scores[out_declined] = _DECLINED
    return scores
