"""Explanations: why this post, and which full post (with its cutoff) kept the student from a higher one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_talent.engines.matching import (
    REASON_CODES,
    CompetencyGap,
    MatchReason,
    build_instance,
    describe,
    explain_matches,
    instance_from_lists,
    match_reasons,
    match_students,
    reasons_for,
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


def test_structured_reasons_for_the_hand_checked_case():
    inst = instance_from_lists(
        capacity=[2, 1],
        student_prefs=[[0, 1], [0], [0, 1], [0, 1]],
        post_prefs=[[3, 2, 0, 1], [0, 3, 2]],
    )
    res = match_students(inst)
    e0, e1, e2, _ = explain_matches(inst, res.post_of_student)
    placed, higher = match_reasons(inst, e0, post_labels=["A", "B"])
    # s0 got B as preference 2, ranked 1st of B's 3 applicants; A (2 seats) ended with s2 ranked 2nd, s0 3rd
    assert (placed.code, placed.preference, placed.post_label, placed.student_rank, placed.applicants) == (
        "placed",
        2,
        "B",
        1,
        3,
    )
    assert (higher.code, higher.preference, higher.post_label, higher.seats, higher.filled) == (
        "higher_full",
        1,
        "A",
        2,
        2,
    )
    assert (higher.cutoff_rank, higher.student_rank) == (2, 3)
    unplaced, only = match_reasons(inst, e1)
    assert (unplaced.code, unplaced.preference) == ("unplaced", 1) and only.code == "higher_full"
    assert [r.code for r in match_reasons(inst, e2)] == ["placed"]


def test_fit_reason_names_the_competencies_met_and_missing():
    # one post requiring C1 at 0.5 and C2 at 1.0 (C3 not required); the student has 0.6, 0.4, 0.0
    inst = build_instance([1], np.array([0, 1]), np.array([0]), post_score=np.array([0.6]))
    res = match_students(inst)
    (e,) = explain_matches(inst, res.post_of_student)
    reasons = match_reasons(
        inst,
        e,
        attainment=np.array([[0.6, 0.4, 0.0]]),
        requirements=np.array([[0.5, 1.0, 0.0]]),
        competencies=["C1", "C2", "C3"],
    )
    fit = reasons[1]
    assert fit.code == "fit" and fit.score == 0.6
    assert fit.met == ("C1",) and fit.missing == (CompetencyGap("C2", 1.0, 0.4),)
    assert fit.to_dict() == {
        "code": "fit",
        "post": 0,
        "score": 0.6,
        "met": ["C1"],
        "missing": [{"code": "C2", "required": 1.0, "attained": 0.4}],
    }


def test_declined_no_seats_and_blocking_get_their_own_codes():
    inst = instance_from_lists(capacity=[1, 1], student_prefs=[[0, 1], [0, 1]], post_prefs=[[1], [0, 1]])
    res = match_students(inst)
    (e0,) = explain_matches(inst, res.post_of_student, [0])
    assert [r.code for r in match_reasons(inst, e0)] == ["placed", "higher_declined"]
    e0_bad = explain_matches(inst, np.array([-1, 0]), [0])[0]
    reasons = match_reasons(inst, e0_bad)
    assert [r.code for r in reasons] == ["unplaced", "higher_declined", "higher_blocking"]
    assert reasons[2].to_dict()["filled"] == 0 and reasons[2].seats == 1
    inst = instance_from_lists(capacity=[0, 1], student_prefs=[[0, 1], []], post_prefs=[[0], [0]])
    e, nobody = explain_matches(inst, match_students(inst).post_of_student)
    assert [r.code for r in match_reasons(inst, e)] == ["placed", "higher_no_seats"]
    assert [r.code for r in match_reasons(inst, nobody)] == ["no_preferences"]


def test_reason_codes_are_closed():
    assert set(REASON_CODES) >= {"placed", "fit", "higher_full", "higher_declined", "unplaced"}
    with pytest.raises(ValueError):
        MatchReason(code="because")


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_every_student_gets_one_head_reason_and_one_reason_per_better_preference(seed):
    rng = np.random.default_rng(seed)
    n_s, n_p = int(rng.integers(1, 20)), int(rng.integers(1, 5))
    lengths = rng.integers(0, n_p + 1, n_s)
    posts = np.concatenate([rng.permutation(n_p)[:k] for k in lengths]).astype(np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    inst = build_instance(rng.integers(0, 3, n_p), indptr, posts, post_score=rng.random(posts.size), min_score=0.2)
    res = match_students(inst)
    explanations = explain_matches(inst, res.post_of_student)
    batch = reasons_for(inst, explanations)
    for e, reasons in zip(explanations, batch, strict=True):
        assert reasons == match_reasons(inst, e)
        for r in reasons:
            if r.code == "higher_full" and r.seats:
                admitted = np.flatnonzero(res.post_of_student == r.post)
                apps = res.application_of_student[admitted]
                worst = apps[np.argmax(inst.post_rank[apps])]
                assert r.cutoff_rank == int(inst.post_rank[worst]) + 1
                assert r.cutoff_score == float(inst.post_score[worst])
        head = {"placed", "unplaced", "no_preferences"}
        assert reasons[0].code in head and not any(r.code in head for r in reasons[1:])
        higher = [r for r in reasons if r.code.startswith("higher_")]
        assert [r.preference for r in higher] == list(range(1, len(higher) + 1))
        assert not any(r.code == "higher_blocking" for r in higher), "engine output is stable"
        if e.post >= 0:
            assert reasons[0].preference == len(higher) + 1 == int(res.choice_of_student[e.student]) + 1


def test_reported_scores_are_fit_scores_even_when_ranks_come_from_other_scores():
    # the enterprise ranked student 1 first by hand (merged score 2.0) though student 0 fits better (0.6 > 0.4)
    inst = build_instance([1], np.array([0, 1, 2]), np.array([0, 0]), post_score=np.array([0.6, 2.0]))
    res = match_students(inst)
    assert res.post_of_student.tolist() == [-1, 0]
    e0, e1 = explain_matches(inst, res.post_of_student)
    (_, full) = match_reasons(inst, e0, fit=np.array([0.6, 0.4]))
    assert (full.code, full.score, full.cutoff_score, full.cutoff_rank, full.student_rank) == (
        "higher_full",
        0.6,
        0.4,
        1,
        2,
    )
    assert match_reasons(inst, e1, fit=np.array([0.6, 0.4]))[0].score == 0.4
    assert match_reasons(inst, e1)[0].score == 2.0  # without fit: the instance's own scores
