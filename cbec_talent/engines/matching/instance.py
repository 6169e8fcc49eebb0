"""Building and validating a ``MatchingInstance`` from students' lists and enterprises' ranks or scores."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .data import NOT_ACCEPTABLE, MatchingInstance


class MatchingInputError(ValueError):
    """The matching input is inconsistent; the message names the offending student, post or application."""


def _csr(student_prefs: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.fromiter((len(p) for p in student_prefs), dtype=np.int64, count=len(student_prefs))
    indptr = np.zeros(len(student_prefs) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    posts = np.fromiter((int(x) for p in student_prefs for x in p), dtype=np.int64, count=int(indptr[-1]))
    return indptr, posts


def _validate(capacity: np.ndarray, indptr: np.ndarray, posts: np.ndarray) -> None:
    if capacity.ndim != 1 or (capacity < 0).any():
        raise MatchingInputError("capacity must be a 1-d array of non-negative seat counts")
    if indptr.ndim != 1 or indptr.size < 1 or indptr[0] != 0 or (np.diff(indptr) < 0).any():
        raise MatchingInputError("pref_indptr must start at 0 and never decrease")
    if indptr[-1] != posts.size:
        raise MatchingInputError("pref_indptr[-1] must equal the number of applications")
    bad = np.flatnonzero((posts < 0) | (posts >= capacity.size))
    if bad.size:
        raise MatchingInputError(f"application {int(bad[0])} names post {int(posts[bad[0]])}, which does not exist")
    student = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), np.diff(indptr))
    key = np.sort(student * capacity.size + posts)
    dup = np.flatnonzero(key[1:] == key[:-1])
    if dup.size:
        s, p = divmod(int(key[dup[0]]), capacity.size)
        raise MatchingInputError(f"student {s} lists post {p} more than once")


def _check_ranks(posts: np.ndarray, rank: np.ndarray) -> None:
    ok = rank >= 0
    if (rank < NOT_ACCEPTABLE).any():
        raise MatchingInputError("post_rank must be >= 0, or -1 for a declined applicant")
    width = int(rank.max()) + 1 if rank.size else 1
    key = np.sort(posts[ok] * width + rank[ok])
    dup = np.flatnonzero(key[1:] == key[:-1])
    if dup.size:
        p, r = divmod(int(key[dup[0]]), width)
        raise MatchingInputError(f"post {p} gives rank {r} to two applicants; ranks must be strict")


def ranks_from_scores(
    pref_indptr: np.ndarray,
    pref_posts: np.ndarray,
    post_score: np.ndarray,
    tiebreak: np.ndarray | None = None,
    min_score: float | None = None,
) -> np.ndarray:
    """Turn per-application scores (higher is better) into strict per-post ranks (0 = best).

    Equal scores at a post are ordered by ``tiebreak[student]`` ascending (default: the student index,
    i.e. the order the caller listed the students in, such as by student number).  Applications scoring
    below ``min_score`` get rank -1 (declined).
    """
    n_students = pref_indptr.size - 1
    student = np.repeat(np.arange(n_students, dtype=np.int64), np.diff(pref_indptr))
    tb = student if tiebreak is None else np.asarray(tiebreak)[student]
    score = np.asarray(post_score, dtype=np.float64)
    if np.isnan(score).any():
        raise MatchingInputError(f"application {int(np.flatnonzero(np.isnan(score))[0])} has no score (NaN)")
    order = np.lexsort((tb, -score, pref_posts))
    sorted_posts = pref_posts[order]
    idx = np.arange(order.size, dtype=np.int64)
    starts = np.ones(order.size, dtype=bool)
    starts[1:] = sorted_posts[1:] != sorted_posts[:-1]
    pos = idx - np.maximum.accumulate(np.where(starts, idx, 0)) if order.size else idx
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = pos
    if min_score is not None:
        rank[score < min_score] = NOT_ACCEPTABLE
    return rank


def build_instance(
    capacity: Sequence[int] | np.ndarray,
    pref_indptr: np.ndarray,
    pref_posts: np.ndarray,
    *,
    post_rank: np.ndarray | None = None,
    post_score: np.ndarray | None = None,
    tiebreak: np.ndarray | None = None,
    min_score: float | None = None,
) -> MatchingInstance:
    """Validate CSR application arrays and return a ``MatchingInstance``.

    Give either ``post_rank`` (the enterprises' own strict rankings, -1 = declined) or ``post_score``
    (for example from ``application_fit_scores``), which is turned into ranks by ``ranks_from_scores``.
    """
    cap = np.asarray(capacity, dtype=np.int64)
    indptr = np.asarray(pref_indptr, dtype=np.int64)
    posts = np.asarray(pref_posts, dtype=np.int64)
    _validate(cap, indptr, posts)
    if (post_rank is None) == (post_score is None):
        raise MatchingInputError("give exactly one of post_rank and post_score")
    score = None
    if post_score is not None:
        score = np.asarray(post_score, dtype=np.float64)
        if score.shape != posts.shape:
            raise MatchingInputError("post_score must have one value per application")
        rank = ranks_from_scores(indptr, posts, score, tiebreak, min_score)
    else:
        rank = np.asarray(post_rank, dtype=np.int64)
        if rank.shape != posts.shape:
            raise MatchingInputError("post_rank must have one value per application")
    _check_ranks(posts, rank)
    return MatchingInstance(capacity=cap, pref_indptr=indptr, pref_posts=posts, post_rank=rank, post_score=score)


def instance_from_lists(
    capacity: Sequence[int],
    student_prefs: Sequence[Sequence[int]],
    post_prefs: Sequence[Sequence[int]],
) -> MatchingInstance:
    """Build an instance from plain lists: each student's posts (best first) and each post's ranking of
    students (best first).  An applicant missing from the post's ranking is declined (rank -1)."""
    indptr, posts = _csr(student_prefs)
    if len(post_prefs) != len(capacity):
        raise MatchingInputError("post_prefs and capacity must have one entry per post")
    n_students = len(student_prefs)
    rank_of = {}
    for p, ranking in enumerate(post_prefs):
        for r, s in enumerate(ranking):
            if (p, int(s)) in rank_of:
                raise MatchingInputError(f"post {p} ranks student {int(s)} twice")
            if not 0 <= int(s) < n_students:
                raise MatchingInputError(f"post {p} ranks student {int(s)}, who does not exist")
            rank_of[(p, int(s))] = r
    student = np.repeat(np.arange(n_students), np.diff(indptr))
    rank = np.fromiter(
        (rank_of.get((int(p), int(s)), NOT_ACCEPTABLE) for p, s in zip(posts, student, strict=True)),
        dtype=np.int64,
        count=posts.size,
    )
    return build_instance(capacity, indptr, posts, post_rank=rank)
