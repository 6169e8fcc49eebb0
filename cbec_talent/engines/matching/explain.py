"""Explaining a placement: why this post, and why not each post the student ranked higher.

In a stable matching every post a student preferred is either full of students its enterprise ranked
higher (the reason gives the capacity, the cutoff, i.e. the rank (and fit score) of the lowest-ranked
admitted student, and the student's own rank there) or declined the student.  Any other case is a
blocking pair and is reported as such, which only happens for hand-edited assignments.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .data import MatchExplanation, MatchingInstance, Reason
from .stability import assignment_stats


def explain_matches(
    instance: MatchingInstance,
    post_of_student: np.ndarray,
    students: Iterable[int] | None = None,
) -> list[MatchExplanation]:
    """Explain the placement of ``students`` (default: everyone) in the assignment ``post_of_student``."""
    stats = assignment_stats(instance, post_of_student)
    rank = instance.post_rank
    score = instance.post_score
    cap = instance.capacity
    indptr = instance.pref_indptr
    choice_of = np.where(stats.application_of_student >= 0, stats.application_of_student - indptr[:-1], -1)
    worst_score = None
    if score is not None:
        worst_score = np.full(instance.n_posts, np.nan)
        held = np.flatnonzero(stats.application_of_student >= 0)
        apps = stats.application_of_student[held]
        posts = instance.pref_posts[apps]
        is_worst = rank[apps] == stats.worst_rank[posts]
        worst_score[posts[is_worst]] = score[apps[is_worst]]

    out = []
    for s in range(instance.n_students) if students is None else students:
        s = int(s)
        app = int(stats.application_of_student[s])
        choice = int(choice_of[s])
        start = int(indptr[s])
        stop = start + choice if app >= 0 else int(indptr[s + 1])
        reasons = []
        for k in range(start, stop):
            p = int(instance.pref_posts[k])
            r = int(rank[k])
            full = bool(stats.filled[p] >= cap[p])
            cut = int(stats.worst_rank[p]) if full and stats.filled[p] > 0 else -1
            if r < 0:
                kind = "not_acceptable"
            elif full and r > stats.worst_rank[p]:
                kind = "full_of_better_ranked"
            else:
                kind = "blocking"
            cut_score = None
            if worst_score is not None and full and not np.isnan(worst_score[p]):
                cut_score = float(worst_score[p])
            reasons.append(
                Reason(
                    post=p,
                    choice=k - start,
                    kind=kind,
                    capacity=int(cap[p]),
                    filled=int(stats.filled[p]),
                    student_rank=r,
                    cutoff_rank=cut,
                    student_score=None if score is None else float(score[k]),
                    cutoff_score=cut_score,
                )
            )
        out.append(
            MatchExplanation(
                student=s,
                post=int(stats.post_of_student[s]) if app >= 0 else -1,
                choice=choice,
                student_rank=int(rank[app]) if app >= 0 else -1,
                higher=tuple(reasons),
            )
        )
    return out


def describe(explanation: MatchExplanation, post_names: list[str] | None = None) -> str:
    """One plain-English paragraph for an explanation (the Django side translates its own wording)."""

    def name(p: int) -> str:
        return post_names[p] if post_names else f"post {p}"

    if explanation.post >= 0:
        head = (
            f"Student {explanation.student} got {name(explanation.post)} (preference {explanation.choice + 1},"
            f" ranked {explanation.student_rank + 1} there)."
        )
    else:
        head = f"Student {explanation.student} got no post."
    lines = [head]
    for r in explanation.higher:
        if r.kind == "not_acceptable":
            lines.append(f"Preference {r.choice + 1}, {name(r.post)}: the enterprise declined this applicant.")
        elif r.kind == "full_of_better_ranked" and r.capacity == 0:
            lines.append(f"Preference {r.choice + 1}, {name(r.post)}: the post has no seats.")
        elif r.kind == "full_of_better_ranked":
            lines.append(
                f"Preference {r.choice + 1}, {name(r.post)}: all {r.capacity} seats went to applicants ranked"
                f" higher; the last admitted was ranked {r.cutoff_rank + 1}, this student {r.student_rank + 1}."
            )
        else:
            lines.append(
                f"Preference {r.choice + 1}, {name(r.post)}: BLOCKING - the post has a free seat or admitted"
                f" someone ranked below this student ({r.filled}/{r.capacity} seats taken)."
            )
    return " ".join(lines)
