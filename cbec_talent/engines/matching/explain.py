"""Explaining a placement: why this post, and why not each post the student ranked higher.

In a stable matching every post a student preferred is either full of students its enterprise ranked
higher (the reason gives the capacity, the cutoff, i.e. the rank (and fit score) of the lowest-ranked
admitted student, and the student's own rank there) or declined the student.  Any other case is a
blocking pair and is reported as such, which only happens for hand-edited assignments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .data import CompetencyGap, MatchExplanation, MatchingInstance, MatchReason, Reason
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


_HIGHER_CODE = {"not_acceptable": "higher_declined", "blocking": "higher_blocking"}
_MET_TOLERANCE = 1e-9


def match_reasons(
    instance: MatchingInstance,
    explanation: MatchExplanation,
    *,
    post_labels: Sequence[str] | None = None,
    attainment: np.ndarray | None = None,
    requirements: np.ndarray | None = None,
    competencies: Sequence[str] = (),
    fit: np.ndarray | None = None,
) -> tuple[MatchReason, ...]:
    """Structured reasons for one explanation, best first: the post obtained (preference, rank among the
    post's applicants), the fit there with the required competencies met and missing (when ``attainment``
    (students x competencies) and ``requirements`` (posts x competencies) with their ``competencies`` codes
    are given), then one reason per better-preferred post (full, no seats, declined, or blocking).

    Scores reported are ``fit`` ((applications,) fit scores) when given, else the instance's ``post_score``;
    pass ``fit`` when the post scores are not plain fit scores (e.g. merged with an enterprise's own ranking).
    For many students use ``reasons_for`` (same arguments, the lookups are built once)."""
    return reasons_for(
        instance,
        [explanation],
        post_labels=post_labels,
        attainment=attainment,
        requirements=requirements,
        competencies=competencies,
        fit=fit,
    )[0]


def reasons_for(
    instance: MatchingInstance,
    explanations: Iterable[MatchExplanation],
    *,
    post_labels: Sequence[str] | None = None,
    attainment: np.ndarray | None = None,
    requirements: np.ndarray | None = None,
    competencies: Sequence[str] = (),
    fit: np.ndarray | None = None,
) -> list[tuple[MatchReason, ...]]:
    """``match_reasons`` for every explanation, in order; per-post applicant counts and the application of
    each (post, rank) are computed once (O(A log A)), so a whole matching run is explained in linear time."""
    posts = np.asarray(instance.pref_posts, dtype=np.int64)
    rank = np.asarray(instance.post_rank, dtype=np.int64)
    accepted = rank >= 0
    applicants = np.bincount(posts[accepted], minlength=instance.n_posts)
    width = (int(rank.max()) if rank.size else 0) + 2  # ranks 0..max, then one slot for the declined
    key = posts * width + np.where(accepted, rank, width - 1)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    scores = instance.post_score if fit is None else np.asarray(fit, dtype=np.float64)
    need_all = None if requirements is None else np.asarray(requirements, dtype=np.float64)
    have_all = None if attainment is None else np.asarray(attainment, dtype=np.float64)

    def label(p: int) -> str:
        return str(post_labels[p]) if post_labels is not None and p >= 0 else ""

    def score_of(k: int) -> float | None:
        return None if scores is None or k < 0 else float(scores[k])

    def cutoff_application(p: int, cutoff_rank: int) -> int:
        if cutoff_rank < 0:
            return -1
        want = p * width + cutoff_rank
        i = int(np.searchsorted(sorted_key, want))
        return int(order[i]) if i < sorted_key.size and sorted_key[i] == want else -1

    def one(explanation: MatchExplanation) -> tuple[MatchReason, ...]:
        s = explanation.student
        start = int(instance.pref_indptr[s])
        listed = int(instance.pref_indptr[s + 1]) - start
        out: list[MatchReason] = []
        if explanation.post >= 0:
            p = explanation.post
            score = score_of(start + explanation.choice)
            out.append(
                MatchReason(
                    code="placed",
                    preference=explanation.choice + 1,
                    post=p,
                    post_label=label(p),
                    student_rank=explanation.student_rank + 1,
                    applicants=int(applicants[p]),
                    seats=int(instance.capacity[p]),
                    score=score,
                )
            )
            met: tuple[str, ...] = ()
            missing: tuple[CompetencyGap, ...] = ()
            if need_all is not None and have_all is not None:
                need, have = need_all[p], have_all[s]
                required = np.flatnonzero(need > 0)
                met = tuple(str(competencies[c]) for c in required if have[c] + _MET_TOLERANCE >= need[c])
                missing = tuple(
                    CompetencyGap(code=str(competencies[c]), required=float(need[c]), attained=float(have[c]))
                    for c in required
                    if have[c] + _MET_TOLERANCE < need[c]
                )
            if score is not None or met or missing:
                out.append(MatchReason(code="fit", post=p, post_label=label(p), score=score, met=met, missing=missing))
        elif listed == 0:
            out.append(MatchReason(code="no_preferences"))
        else:
            out.append(MatchReason(code="unplaced", preference=listed))
        for r in explanation.higher:
            if r.kind == "full_of_better_ranked" and r.capacity == 0:
                code = "higher_no_seats"
            else:
                code = _HIGHER_CODE.get(r.kind, "higher_full")
            out.append(
                MatchReason(
                    code=code,
                    preference=r.choice + 1,
                    post=r.post,
                    post_label=label(r.post),
                    student_rank=r.student_rank + 1 if r.student_rank >= 0 else 0,
                    seats=r.capacity,
                    filled=r.filled,
                    cutoff_rank=r.cutoff_rank + 1 if r.cutoff_rank >= 0 else 0,
                    score=score_of(start + r.choice),
                    cutoff_score=score_of(cutoff_application(r.post, r.cutoff_rank)),
                )
            )
        return tuple(out)

    return [one(e) for e in explanations]


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
