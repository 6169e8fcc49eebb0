"""Fit scores (documented formula) and the conversion of scores into strict enterprise ranks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cbec_talent.engines.matching import (
    InternshipPost,
    application_fit_scores,
    build_instance,
    fit_scores,
    language_column,
    post_capacities,
    ranks_from_scores,
    requirement_matrix,
)


def test_fit_formula_by_hand():
    # competencies: [listing, advertising, English]; post requires 0.8 listing and English 1.0, weights 1
    attainment = np.array([[1.0, 0.0, 1.0], [0.4, 1.0, 0.5], [0.8, 0.2, 1.0]])
    post = np.array([[0.8, 0.0, 1.0]])
    fit = fit_scores(attainment, post)[:, 0]
    # s0: min(1, .8) + min(1, 1) = 1.8 / 1.8; s1: .4 + .5 = .9 / 1.8; s2: .8 + 1 = 1.8 / 1.8
    assert fit == pytest.approx([1.0, 0.5, 1.0])
    weighted = fit_scores(attainment, post, weights=np.array([[1.0, 1.0, 3.0]]))[:, 0]
    # s1: (.4 + 3 * .5) / (.8 + 3) = 1.9 / 3.8
    assert weighted[1] == pytest.approx(0.5)


def test_post_without_requirements_fits_everyone():
    assert fit_scores(np.array([[0.1, 0.2]]), np.zeros((1, 2))).tolist() == [[1.0]]


@settings(max_examples=50, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 7), st.just(4)), elements=st.floats(0, 1)),
    arrays(np.float64, st.tuples(st.integers(1, 5), st.just(4)), elements=st.floats(0, 1)),
)
def test_dense_and_per_application_scores_agree_and_stay_in_unit_interval(att, req):
    dense = fit_scores(att, req)
    assert ((dense >= 0) & (dense <= 1 + 1e-12)).all()
    n_s, n_p = dense.shape
    indptr = np.arange(n_s + 1) * n_p
    posts = np.tile(np.arange(n_p), n_s)
    per_app = application_fit_scores(att, req, indptr, posts)
    assert per_app == pytest.approx(dense.ravel())
    # meeting every requirement gives exactly 1
    assert fit_scores(req.max(axis=0, keepdims=True), req) == pytest.approx(np.ones((1, n_p)))


def test_ranks_break_score_ties_by_student_order_and_decline_below_minimum():
    # three students apply to post 0 with scores .7, .9, .7 and to nothing else
    indptr, posts = np.array([0, 1, 2, 3]), np.array([0, 0, 0])
    score = np.array([0.7, 0.9, 0.7])
    assert ranks_from_scores(indptr, posts, score).tolist() == [1, 0, 2]
    # an explicit tie-break (e.g. student numbers sorted) can put student 2 before student 0
    assert ranks_from_scores(indptr, posts, score, tiebreak=np.array([5, 0, 1])).tolist() == [2, 0, 1]
    inst = build_instance([1], indptr, posts, post_score=score, min_score=0.8)
    assert inst.post_rank.tolist() == [-1, 0, -1]


def test_posts_become_requirement_and_capacity_arrays():
    posts = [
        InternshipPost("p1", "Ent A", "Amazon operator", 3, (("C01", 0.8),), ("en",)),
        InternshipPost("p2", "Ent B", "Live-stream host", 1, (("C02", 0.5),)),
    ]
    columns = ["C01", "C02", language_column("en")]
    assert requirement_matrix(posts, columns).tolist() == [[0.8, 0.0, 1.0], [0.0, 0.5, 0.0]]
    assert post_capacities(posts).tolist() == [3, 1]
    with pytest.raises(ValueError, match="post p1 requires lang:en"):
        requirement_matrix(posts, ["C01", "C02"])
