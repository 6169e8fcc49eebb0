"""Explanations: why this post, and which full post (with its cutoff) kept the student from a higher one."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_talent.engines.matching import (
    build_instance,
    describe,
    explain_matches,
    instance_from_lists,
    match_students,
)


def test_hand_checked_explanations():
    # post A (2 seats) ranks s3, s2, s0, s1; post B (1 seat) ranks s0, s3, s2; s1 only wants A
    inst = instance_from_lists(
        capacity=[2, 1],
        student_prefs=[[0, 1], [0], [0, 1], [0, 1]],
        post_prefs=[[3, 2, 0, 1], [0, 3, 2]],
    )
    res = match_students(inst)
    e0, e1, e2, e3 = explain_matches(inst, res.post_of_student)
    # s0 got B (2nd choice) because A was full of s3, s2; the cutoff at A is rank 1 (s2), s0 is rank 2
    assert (e0.post, e0.choice, e0.student_rank) == (1, 1, 0)
    (r,) = e0.higher
    assert (r.post, r.kind, r.capacity, r.filled, r.cutoff_rank, r.student_rank) == (
        0,
        "full_of_better_ranked",
        2,
        2,
        1,
        2,
    )
    assert e1.post == -1 and [x.kind for x in e1.higher] == ["full_of_better_ranked"]
    assert e2.higher == () and e3.higher == ()  # first choices need no excuse
    text = describe(e0, ["A", "B"])
    assert "got B (preference 2" in text and "last admitted was ranked 2, this student 3" in text


def test_declined_and_blocking_reasons():
    inst = instance_from_lists(capacity=[1, 1], student_prefs=[[0, 1], [0, 1]], post_prefs=[[1], [0, 1]])
    res = match_students(inst)
    e0 = explain_matches(inst, res.post_of_student, [0])[0]
    # A declined s0, so s0 got B, its second choice, for that reason only
    assert e0.post == 1 and [r.kind for r in e0.higher] == ["not_acceptable"] and e0.justified
    # hand edit: swap so s1 sits in B and s0 is unplaced -> B would rather have s0 who wants it: blocking
    e0_bad = explain_matches(inst, np.array([-1, 0]), [0])[0]
    assert [r.kind for r in e0_bad.higher] == ["not_acceptable", "blocking"]
    assert not e0_bad.justified


def test_cutoff_scores_reported_when_ranks_come_from_scores():
    inst = build_instance([1], np.array([0, 1, 2]), np.array([0, 0]), post_score=np.array([0.6, 0.9]))
    res = match_students(inst)
    (e0,) = explain_matches(inst, res.post_of_student, [0])
    (r,) = e0.higher
    assert (r.student_score, r.cutoff_score) == (0.6, 0.9)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_every_engine_placement_is_justified_by_the_cutoffs(seed):
    rng = np.random.default_rng(seed)
    n_s, n_p = int(rng.integers(1, 30)), int(rng.integers(1, 6))
    lengths = rng.integers(0, n_p + 1, n_s)
    posts = np.concatenate([rng.permutation(n_p)[:k] for k in lengths]).astype(np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    inst = build_instance(rng.integers(0, 4, n_p), indptr, posts, post_score=rng.random(posts.size), min_score=0.1)
    res = match_students(inst)
    for e in explain_matches(inst, res.post_of_student):
        assert e.justified
        for r in e.higher:
            admitted = np.flatnonzero(res.post_of_student == r.post)
            ranks = [int(inst.post_rank[res.application_of_student[s]]) for s in admitted]
            if r.kind == "full_of_better_ranked":
                assert len(admitted) == r.capacity == r.filled
                assert all(x < r.student_rank for x in ranks)
                assert r.cutoff_rank == (max(ranks) if ranks else -1)
            else:
                assert r.kind == "not_acceptable" and r.student_rank == -1


def test_post_without_seats_is_explained_as_such():
    inst = instance_from_lists(capacity=[0, 1], student_prefs=[[0, 1]], post_prefs=[[0], [0]])
    res = match_students(inst)
    (e,) = explain_matches(inst, res.post_of_student)
    assert e.post == 1 and e.justified
    assert "post 0: the post has no seats" in describe(e)
