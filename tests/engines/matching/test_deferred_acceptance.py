"""Deferred acceptance: hand-checked cases, brute force on tiny instances, agreement with the `matching`
package, and Hypothesis properties (stable, within capacity, student-optimal)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_talent.engines.matching import (
    build_instance,
    instance_from_lists,
    is_stable,
    match_students,
)


def test_popular_post_keeps_its_best_ranked_and_the_rest_cascade():
    # given post A (2 seats) ranks s3, s2, s0, s1 and post B (1 seat) ranks s0, s3, s2;
    # every student wants A first, s0 and s2 and s3 would take B next
    inst = instance_from_lists(
        capacity=[2, 1],
        student_prefs=[[0, 1], [0], [0, 1], [0, 1]],
        post_prefs=[[3, 2, 0, 1], [0, 3, 2]],
    )
    # when matched
    res = match_students(inst)
    # then A takes its two best (s3, s2), s0 falls back to B, s1 (only wanted A) is unplaced
    assert res.post_of_student.tolist() == [1, -1, 0, 0]
    assert res.choice_of_student.tolist() == [1, -1, 0, 0]
    assert res.filled.tolist() == [2, 1]
    assert res.cutoff_rank.tolist() == [1, 0]  # A's last admitted is s2 (rank 1), B's is s0 (rank 0)


def test_declined_applications_are_skipped():
    # given post 0 declines student 0 (not on its list) although it has seats
    inst = instance_from_lists(capacity=[5, 5], student_prefs=[[0, 1], [0]], post_prefs=[[1], [0]])
    res = match_students(inst)
    assert res.post_of_student.tolist() == [1, 0]


def test_zero_capacity_post_takes_nobody():
    inst = instance_from_lists(capacity=[0, 1], student_prefs=[[0, 1], [0]], post_prefs=[[0, 1], [0]])
    res = match_students(inst)
    assert res.post_of_student.tolist() == [1, -1]
    assert res.filled.tolist() == [0, 1]


def test_students_with_empty_lists_and_no_students():
    inst = instance_from_lists(capacity=[1], student_prefs=[[], [0]], post_prefs=[[1]])
    assert match_students(inst).post_of_student.tolist() == [-1, 0]
    empty = build_instance([3], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64), post_rank=np.zeros(0))
    assert match_students(empty).post_of_student.size == 0


# ---- tiny random instances: brute force and properties -------------------------------------------


@st.composite
def tiny_games(draw, max_students=5, max_posts=3, min_capacity=0):
    n_s = draw(st.integers(1, max_students))
    n_p = draw(st.integers(1, max_posts))
    capacity = [draw(st.integers(min_capacity, 2)) for _ in range(n_p)]
    student_prefs = [
        draw(st.permutations(range(n_p)).map(lambda x: x[: draw(st.integers(0, n_p))])) for _ in range(n_s)
    ]
    post_prefs = []
    for p in range(n_p):
        applicants = [s for s in range(n_s) if p in student_prefs[s]]
        order = draw(st.permutations(applicants))
        keep = [s for s in order if draw(st.integers(0, 9)) > 0]  # about 1 in 10 applicants declined
        post_prefs.append(keep)
    return capacity, [list(x) for x in student_prefs], post_prefs


def naive_stable(capacity, student_prefs, post_prefs, assign):
    """Textbook definition, written independently of the engine."""
    for s, p in enumerate(assign):
        if p >= 0 and (p not in student_prefs[s] or s not in post_prefs[p]):
            return False
    for p, cap in enumerate(capacity):
        if sum(1 for a in assign if a == p) > cap:
            return False
    for s, prefs in enumerate(student_prefs):
        mine = prefs.index(assign[s]) if assign[s] >= 0 else len(prefs)
        for p in prefs[:mine]:
            if s not in post_prefs[p]:
                continue
            held = [t for t, a in enumerate(assign) if a == p]
            if len(held) < capacity[p]:
                return False
            if any(post_prefs[p].index(s) < post_prefs[p].index(t) for t in held):
                return False
    return True


@settings(max_examples=150, deadline=None)
@given(tiny_games())
def test_matches_brute_force_student_optimal_stable_matching(game):
    capacity, student_prefs, post_prefs = game
    inst = instance_from_lists(capacity, student_prefs, post_prefs)
    ours = match_students(inst).post_of_student.tolist()
    options = [[-1] + prefs for prefs in student_prefs]
    stable = []
    for assign in itertools.product(*options):
        naive = naive_stable(capacity, student_prefs, post_prefs, list(assign))
        # the vectorised checker agrees with the textbook definition on every assignment
        assert is_stable(inst, np.array(assign)) == naive
        if naive:
            stable.append(assign)
    assert tuple(ours) in stable

    def rank(s, p):
        return student_prefs[s].index(p) if p >= 0 else len(student_prefs[s])

    for other in stable:  # no student does better in any stable matching
        assert all(rank(s, ours[s]) <= rank(s, other[s]) for s in range(len(ours)))


@st.composite
def medium_games(draw):
    n_s = draw(st.integers(1, 40))
    n_p = draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    capacity = rng.integers(0, 5, n_p)
    lengths = rng.integers(0, n_p + 1, n_s)
    posts = np.concatenate([rng.permutation(n_p)[:k] for k in lengths]).astype(np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    score = rng.integers(0, 4, posts.size).astype(float)  # many ties, broken by student index
    return build_instance(capacity, indptr, posts, post_score=score, min_score=1.0)


@settings(max_examples=100, deadline=None)
@given(medium_games())
def test_result_is_stable_within_capacity_and_consistent(inst):
    res = match_students(inst)
    assert is_stable(inst, res.post_of_student)
    assert (res.filled <= inst.capacity).all()
    placed = np.flatnonzero(res.post_of_student >= 0)
    apps = res.application_of_student[placed]
    assert (inst.pref_posts[apps] == res.post_of_student[placed]).all()
    assert (inst.post_rank[apps] >= 0).all()
    assert (apps - inst.pref_indptr[placed] == res.choice_of_student[placed]).all()


# ---- agreement with the PyPI package `matching` --------------------------------------------------


def peer_matching(capacity, student_prefs, post_prefs):
    pytest.importorskip("matching")
    from matching.algorithms import hospital_resident
    from matching.games.hospital_resident import _make_players

    accepted = [[p for p in prefs if s in post_prefs[p]] for s, prefs in enumerate(student_prefs)]
    rp = {s: prefs for s, prefs in enumerate(accepted) if prefs}
    hp = {p: list(r) for p, r in enumerate(post_prefs)}
    residents, hospitals = _make_players(rp, hp, dict(enumerate(capacity)))
    out = [-1] * len(student_prefs)
    for hospital, matched in hospital_resident(residents, hospitals, optimal="resident").items():
        for resident in matched:
            out[resident.name] = hospital.name
    return out


@pytest.mark.parametrize("seed", range(20))
def test_agrees_with_matching_package_on_random_instances(seed):
    rng = np.random.default_rng(seed)
    n_s, n_p = int(rng.integers(5, 80)), int(rng.integers(1, 12))
    capacity = [int(c) for c in rng.integers(1, 6, n_p)]
    student_prefs = [[int(p) for p in rng.permutation(n_p)[: rng.integers(1, n_p + 1)]] for _ in range(n_s)]
    post_prefs = []
    for p in range(n_p):
        applicants = [s for s in rng.permutation(n_s).tolist() if p in student_prefs[s]]
        post_prefs.append([s for s in applicants if rng.random() > 0.1])
    expected = peer_matching(capacity, student_prefs, post_prefs)
    ours = match_students(instance_from_lists(capacity, student_prefs, post_prefs))
    assert ours.post_of_student.tolist() == expected
