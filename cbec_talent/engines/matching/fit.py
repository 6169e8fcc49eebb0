"""Enterprise-side fit scores from students' attainment against posts' requirements (vectorised numpy).

Formula.  With attainment ``a[s, c]`` of student ``s`` in competency ``c`` (0..1, from the attainment
engine; languages are competency columns too, 1 = certified), requirement ``r[p, c]`` of post ``p``
(0..1, 0 = not required) and optional importance weights ``w[p, c]`` (default 1)::

    fit[s, p] = sum_c w[p, c] * min(a[s, c], r[p, c])  /  sum_c w[p, c] * r[p, c]

i.e. the weighted share of the post's required attainment the student covers.  It lies in [0, 1]; 1 means
every requirement is met; exceeding one requirement does not make up for falling short on another.  A post
with no requirement scores 1 for everyone.  Equal scores are ordered later by a stated tie-break (see
``ranks_from_scores``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .data import InternshipPost

_CHUNK_ELEMENTS = 1 << 22


def _prepare(attainment, requirements, weights):
    a = np.asarray(attainment, dtype=np.float64)
    r = np.asarray(requirements, dtype=np.float64)
    if a.ndim != 2 or r.ndim != 2 or a.shape[1] != r.shape[1]:
        raise ValueError("attainment is (students, competencies) and requirements (posts, competencies)")
    if np.isnan(a).any() or np.isnan(r).any() or (a < 0).any() or (r < 0).any():
        raise ValueError("attainment and requirements must be non-negative numbers (no NaN)")
    w = np.ones_like(r) if weights is None else np.broadcast_to(np.asarray(weights, dtype=np.float64), r.shape)
    if (w < 0).any():
        raise ValueError("weights must be non-negative")
    denom = (w * r).sum(axis=1)
    return a, r, w, denom


def fit_scores(attainment: np.ndarray, post_requirements: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """(students, posts) fit matrix by the formula in the module docstring, computed in memory-bounded
    chunks of students."""
    a, r, w, denom = _prepare(attainment, post_requirements, weights)
    n_s, n_p = a.shape[0], r.shape[0]
    out = np.empty((n_s, n_p), dtype=np.float64)
    step = max(1, _CHUNK_ELEMENTS // max(1, n_p * r.shape[1]))
    safe = np.where(denom > 0, denom, 1.0)
    for lo in range(0, n_s, step):
        block = np.minimum(a[lo : lo + step, None, :], r[None, :, :])
        out[lo : lo + step] = np.einsum("spc,pc->sp", block, w) / safe
    out[:, denom <= 0] = 1.0
    return out


def application_fit_scores(
    attainment: np.ndarray,
    post_requirements: np.ndarray,
    pref_indptr: np.ndarray,
    pref_posts: np.ndarray,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """(applications,) fit score of each application in CSR order (same formula, only the pairs needed),
    ready for ``build_instance(..., post_score=...)``."""
    a, r, w, denom = _prepare(attainment, post_requirements, weights)
    indptr = np.asarray(pref_indptr, dtype=np.int64)
    posts = np.asarray(pref_posts, dtype=np.int64)
    student = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), np.diff(indptr))
    out = np.empty(posts.size, dtype=np.float64)
    step = max(1, _CHUNK_ELEMENTS // max(1, r.shape[1]))
    for lo in range(0, posts.size, step):
        s, p = student[lo : lo + step], posts[lo : lo + step]
        num = np.einsum("kc,kc->k", np.minimum(a[s], r[p]), w[p])
        out[lo : lo + step] = np.where(denom[p] > 0, num / np.where(denom[p] > 0, denom[p], 1.0), 1.0)
    return out


def language_column(code: str) -> str:
    """Column name under which a required language appears in attainment and requirement matrices."""
    return f"lang:{code}"


def requirement_matrix(posts: Sequence[InternshipPost], columns: Sequence[str]) -> np.ndarray:
    """(posts, columns) required levels from the posts' competencies and languages, in ``columns`` order
    (the same column order as the attainment matrix; languages as ``language_column(code)``)."""
    where = {c: j for j, c in enumerate(columns)}
    out = np.zeros((len(posts), len(columns)), dtype=np.float64)
    for i, post in enumerate(posts):
        needs = [*post.required_competencies, *((language_column(x), 1.0) for x in post.languages)]
        for code, level in needs:
            if code not in where:
                raise ValueError(f"post {post.post_id} requires {code}, which is not among the columns")
            if not 0.0 <= float(level) <= 1.0:
                raise ValueError(f"post {post.post_id} requires {code} at level {level}; levels are 0..1")
            out[i, where[code]] = float(level)
    return out


def post_capacities(posts: Sequence[InternshipPost]) -> np.ndarray:
    """(posts,) seats of each post, for ``build_instance``."""
    seats = np.array([p.seats for p in posts], dtype=np.int64)
    bad = np.flatnonzero(seats < 0)
    if bad.size:
        raise ValueError(f"post {posts[int(bad[0])].post_id} has a negative number of seats")
    return seats
