"""An enterprise that ranks its applicants gets them in its order; the ones it did not rank follow by fit; the
ones it declined are never placed there, even when the post has seats left."""

import numpy as np
import pytest

from cbec_talent.engines.matching import build_instance, is_stable, match_students
from cbec_talent.engines.matching.ranking import ACCEPT_FROM, merge_enterprise_ranks


def test_ranked_first_in_the_enterprise_order_then_by_fit_and_declined_never():
    # one post with 2 seats; four students apply to it only
    indptr = np.array([0, 1, 2, 3, 4])
    posts = np.zeros(4, dtype=np.int64)
    fit = np.array([0.99, 0.10, 0.50, 0.95])
    rank = np.array([0, 1, 0, 0])  # the enterprise ranked student 1 (weakest fit) first
    declined = np.array([False, False, False, True])  # and declined student 3
    scores = merge_enterprise_ranks(fit, rank, declined)
    instance = build_instance([2], indptr, posts, post_score=scores, min_score=ACCEPT_FROM)
    result = match_students(instance)
    assert result.post_of_student.tolist() == [0, 0, -1, -1]
    assert is_stable(instance, result.post_of_student)


def test_more_ranks_keep_their_order():
    scores = merge_enterprise_ranks(np.array([0.2, 0.2, 0.2]), np.array([3, 1, 2]), np.zeros(3, dtype=bool))
    assert np.argsort(-scores).tolist() == [1, 2, 0]


@pytest.mark.parametrize(
    "fit, rank, declined",
    [
        (np.array([1.5]), np.array([0]), np.array([False])),
        (np.array([0.5]), np.array([-1]), np.array([False])),
        (np.array([0.5, 0.1]), np.array([0]), np.array([False])),
    ],
)
def test_bad_input_is_refused(fit, rank, declined):
    with pytest.raises(ValueError):
        merge_enterprise_ranks(fit, rank, declined)
