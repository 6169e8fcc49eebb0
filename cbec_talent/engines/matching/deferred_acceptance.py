"""Student-proposing deferred acceptance with capacities, in array rounds (numpy only).

Each round every free student proposes to the next post on his or her list at once.  A post keeps the
best-ranked ``capacity`` students among those it holds and the new proposers, and rejects the others, who
move one step down their lists.  This is Gale and Shapley's algorithm with proposals batched per round
(McVitie and Wilson showed the order of proposals does not change the result), so the outcome is the
student-optimal stable matching.  A full post's current cutoff (rank of its worst held student) is kept, so
a proposal that cannot beat it is rejected before any sorting; only posts that receive a proposal above
their cutoff are re-sorted.
"""

from __future__ import annotations

import numpy as np

from .data import UNMATCHED, MatchingInstance, MatchResult

_NOT_FULL = np.iinfo(np.int64).max


def _first_surviving(free, cur, end, crank, cposts, full_cut):
    """Advance ``free`` students past proposals their next post would reject outright; drop exhausted ones."""
    while free.size:
        app = cur[free]
        bad = crank[app] > full_cut[cposts[app]]
        if not bad.any():
            break
        moved = free[bad]
        cur[moved] += 1
        free = np.concatenate((free[~bad], moved[cur[moved] < end[moved]]))
    return free


def match_students(instance: MatchingInstance) -> MatchResult:
    """Return the student-optimal stable matching of ``instance`` (student-proposing deferred acceptance).

    Students' lists are followed in order; applications the enterprise declined (rank -1) are skipped.
    Every post ends with at most ``capacity`` students, and no student and post would both rather be
    matched to each other (no blocking pair).  Runs in O(rounds x proposals log proposals) numpy work.
    """
    n_students, n_posts = instance.n_students, instance.n_posts
    capacity = np.asarray(instance.capacity, dtype=np.int64)
    rank = np.asarray(instance.post_rank, dtype=np.int64)
    acceptable = rank >= 0
    kept_app = np.flatnonzero(acceptable)
    counts = np.bincount(instance.application_student()[acceptable], minlength=n_students)
    cindptr = np.zeros(n_students + 1, dtype=np.int64)
    np.cumsum(counts, out=cindptr[1:])
    cposts = np.asarray(instance.pref_posts, dtype=np.int64)[acceptable]
    crank = rank[acceptable]
    width = int(crank.max()) + 1 if crank.size else 1

    cur = cindptr[:-1].copy()
    end = cindptr[1:]
    post_of = np.full(n_students, UNMATCHED, dtype=np.int64)
    full_cut = np.full(n_posts, _NOT_FULL, dtype=np.int64)
    full_cut[capacity <= 0] = -1
    affected = np.zeros(n_posts, dtype=bool)
    free = np.flatnonzero(cur < end)
    rounds = 0
    while True:
        free = _first_surviving(free, cur, end, crank, cposts, full_cut)
        if not free.size:
            break
        rounds += 1
        targets = cposts[cur[free]]
        affected[:] = False
        affected[targets] = True
        holders = np.flatnonzero(affected[post_of] & (post_of >= 0))
        cand = np.concatenate((holders, free))
        app = cur[cand]
        cpost = cposts[app]
        order = np.argsort(cpost * width + crank[app])
        cand = cand[order]
        cpost = cpost[order]
        n = cand.size
        idx = np.arange(n, dtype=np.int64)
        starts = np.ones(n, dtype=bool)
        starts[1:] = cpost[1:] != cpost[:-1]
        pos = idx - np.maximum.accumulate(np.where(starts, idx, 0))
        cap_here = capacity[cpost]
        keep = pos < cap_here
        at_cut = pos == cap_here - 1
        full_cut[cpost[at_cut]] = crank[app[order][at_cut]]
        post_of[cand[keep]] = cpost[keep]
        rejected = cand[~keep]
        post_of[rejected] = UNMATCHED
        cur[rejected] += 1
        free = rejected[cur[rejected] < end[rejected]]

    matched = post_of >= 0
    app_of = np.full(n_students, -1, dtype=np.int64)
    app_of[matched] = kept_app[cur[matched]]
    choice = np.full(n_students, -1, dtype=np.int64)
    choice[matched] = app_of[matched] - np.asarray(instance.pref_indptr, dtype=np.int64)[:-1][matched]
    filled = np.bincount(post_of[matched], minlength=n_posts).astype(np.int64)
    worst = np.full(n_posts, -1, dtype=np.int64)
    np.maximum.at(worst, post_of[matched], rank[app_of[matched]])
    cutoff = np.where((filled >= capacity) & (capacity > 0), worst, -1)
    return MatchResult(
        post_of_student=post_of,
        application_of_student=app_of,
        choice_of_student=choice,
        filled=filled,
        cutoff_rank=cutoff,
        rounds=rounds,
    )
