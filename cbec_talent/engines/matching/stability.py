"""Checking any assignment (for example one edited by hand) for capacity violations and blocking pairs.

Conventions for a hand-edited assignment: a student placed at a post he or she did not apply to, or at a
post whose enterprise declined him or her, is reported as invalid; for blocking pairs such a student is
treated as preferring every post on his or her own list, and the post as preferring every applicant it
ranked to that student.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import (
    UNMATCHED,
    AssignmentCheck,
    BlockingPair,
    CapacityViolation,
    InvalidAssignment,
    MatchingInstance,
)

_WORSE_THAN_ALL = np.iinfo(np.int64).max


@dataclass(frozen=True, eq=False)
class AssignmentStats:
    """Per-student and per-post facts about an assignment that checks and explanations share."""

    post_of_student: np.ndarray  # (S,) as given
    application_of_student: np.ndarray  # (S,) valid application held, or -1 (unmatched or invalid)
    invalid_reason: np.ndarray  # (S,) "" or "not_applied" / "not_acceptable" / "unknown_post"
    filled: np.ndarray  # (P,) students placed at the post (valid or not)
    worst_rank: np.ndarray  # (P,) rank of the worst placed student (int64 max if an invalid one), -1 if empty
    worst_student: np.ndarray  # (P,) that student, -1 if empty


def assignment_stats(instance: MatchingInstance, post_of_student: np.ndarray) -> AssignmentStats:
    """Locate each placed student's application and each post's worst-ranked placed student."""
    n_students, n_posts = instance.n_students, instance.n_posts
    post_of = np.asarray(post_of_student, dtype=np.int64)
    if post_of.shape != (n_students,):
        raise ValueError(f"post_of_student must have one entry per student ({n_students})")
    reason = np.full(n_students, "", dtype=object)
    unknown = (post_of < UNMATCHED) | (post_of >= n_posts)
    reason[unknown] = "unknown_post"
    placed = (post_of >= 0) & ~unknown

    app_student = instance.application_student()
    app_key = app_student * n_posts + instance.pref_posts
    order = np.argsort(app_key)
    sorted_key = app_key[order]
    students = np.flatnonzero(placed)
    want = students * n_posts + post_of[students]
    where = np.searchsorted(sorted_key, want)
    found = where < sorted_key.size
    found[found] = sorted_key[where[found]] == want[found]
    app = np.full(students.size, -1, dtype=np.int64)
    app[found] = order[where[found]]
    reason[students[~found]] = "not_applied"
    declined = found.copy()
    declined[found] = instance.post_rank[app[found]] < 0
    reason[students[declined]] = "not_acceptable"
    app[declined] = -1

    app_of = np.full(n_students, -1, dtype=np.int64)
    app_of[students] = app
    rank_here = np.full(app.size, _WORSE_THAN_ALL, dtype=np.int64)
    rank_here[app >= 0] = instance.post_rank[app[app >= 0]]
    posts_here = post_of[students]
    filled = np.bincount(posts_here, minlength=n_posts).astype(np.int64)
    worst_rank = np.full(n_posts, -1, dtype=np.int64)
    np.maximum.at(worst_rank, posts_here, rank_here)
    worst_student = np.full(n_posts, -1, dtype=np.int64)
    is_worst = rank_here == worst_rank[posts_here]
    worst_student[posts_here[is_worst]] = students[is_worst]
    return AssignmentStats(post_of, app_of, reason, filled, worst_rank, worst_student)


def blocking_mask(instance: MatchingInstance, stats: AssignmentStats) -> np.ndarray:
    """(A,) bool: application k is a blocking pair (student prefers the post to the assignment, and the
    post has a free seat or holds a student it ranks below this applicant)."""
    choice = instance.application_choice()
    app_of = stats.application_of_student
    current = np.full(app_of.size, _WORSE_THAN_ALL, dtype=np.int64)
    current[app_of >= 0] = choice[app_of[app_of >= 0]]
    student = instance.application_student()
    post = instance.pref_posts
    rank = instance.post_rank
    wants = (rank >= 0) & (choice < current[student])
    free_seat = stats.filled[post] < instance.capacity[post]
    return wants & (free_seat | (rank < stats.worst_rank[post]))


def is_stable(instance: MatchingInstance, post_of_student: np.ndarray) -> bool:
    """True when the assignment is valid, within every capacity and has no blocking pair (vectorised)."""
    stats = assignment_stats(instance, post_of_student)
    return bool(
        not (stats.invalid_reason != "").any()
        and (stats.filled <= instance.capacity).all()
        and not blocking_mask(instance, stats).any()
    )


def check_assignment(instance: MatchingInstance, post_of_student: np.ndarray) -> AssignmentCheck:
    """List every capacity violation, invalid placement and blocking pair of a (possibly hand-edited)
    assignment.  ``post_of_student[s]`` is the post index of student ``s`` or -1 (unmatched)."""
    stats = assignment_stats(instance, post_of_student)
    over = np.flatnonzero(stats.filled > instance.capacity)
    violations = tuple(
        CapacityViolation(post=int(p), assigned=int(stats.filled[p]), capacity=int(instance.capacity[p])) for p in over
    )
    bad = np.flatnonzero(stats.invalid_reason != "")
    invalid = tuple(
        InvalidAssignment(student=int(s), post=int(stats.post_of_student[s]), reason=str(stats.invalid_reason[s]))
        for s in bad
    )
    block = np.flatnonzero(blocking_mask(instance, stats))
    student = instance.application_student()[block]
    post = instance.pref_posts[block]
    choice = instance.application_choice()[block]
    free = stats.filled[post] < instance.capacity[post]
    pairs = tuple(
        BlockingPair(
            student=int(s),
            post=int(p),
            choice=int(c),
            student_rank=int(instance.post_rank[k]),
            reason="free_seat" if f else "outranks_admitted",
            displaced_student=-1 if f else int(stats.worst_student[p]),
        )
        for k, s, p, c, f in zip(block, student, post, choice, free, strict=True)
    )
    return AssignmentCheck(capacity_violations=violations, blocking_pairs=pairs, invalid=invalid)
