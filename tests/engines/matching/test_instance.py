"""Input validation names the offending student, post or application."""

from __future__ import annotations

import numpy as np
import pytest

from cbec_talent.engines.matching import MatchingInputError, build_instance, instance_from_lists


def test_duplicate_post_in_a_students_list():
    with pytest.raises(MatchingInputError, match="student 1 lists post 0 more than once"):
        instance_from_lists([1, 1], [[0], [0, 1, 0]], [[0, 1], [1]])


def test_unknown_post_and_unknown_student():
    with pytest.raises(MatchingInputError, match="post 5, which does not exist"):
        build_instance([1], np.array([0, 1]), np.array([5]), post_rank=np.array([0]))
    with pytest.raises(MatchingInputError, match="student 9, who does not exist"):
        instance_from_lists([1], [[0]], [[9]])


def test_ranks_must_be_strict_and_one_source_given():
    with pytest.raises(MatchingInputError, match="post 0 gives rank 0 to two applicants"):
        build_instance([2], np.array([0, 1, 2]), np.array([0, 0]), post_rank=np.array([0, 0]))
    with pytest.raises(MatchingInputError, match="exactly one"):
        build_instance([2], np.array([0, 1]), np.array([0]))
    with pytest.raises(MatchingInputError, match="NaN"):
        build_instance([2], np.array([0, 1]), np.array([0]), post_score=np.array([np.nan]))


def test_negative_capacity_rejected():
    with pytest.raises(MatchingInputError, match="capacity"):
        build_instance([-1], np.array([0, 1]), np.array([0]), post_rank=np.array([0]))
