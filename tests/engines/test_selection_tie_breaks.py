"""Class selection: the structured tie-break of each entry (for wording in any language) and the ordering rule
checked against a brute-force sort on random instances with many ties."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cbec_talent.engines.matching.selection import rank_for_selection, tie_breaks

CRITERIA = ("willingness", "professional", "learning", "diligence")
WEIGHTS = (0.3, 0.3, 0.2, 0.2)


def test_structured_tie_breaks_name_the_deciding_criterion_or_the_number():
    scores = np.array([[70, 80, 70, 70], [80, 70, 70, 70], [70, 80, 70, 70], [10, 10, 10, 10]], dtype=float)
    res = rank_for_selection(scores, WEIGHTS, quota=2, criteria=CRITERIA, student_numbers=["b", "c", "a", "z"])
    assert [e.student_number for e in res.entries] == ["c", "a", "b", "z"]
    breaks = tie_breaks(res)
    assert breaks[0] is None and breaks[3] is None, "first entry and an untied total have no tie-break"
    first = breaks[1]
    assert (first.position, first.criterion, first.above_score, first.own_score) == (2, 0, 80.0, 70.0)
    assert (first.above_number, first.own_number) == ("c", "a") and not first.by_student_number
    by_number = breaks[2]
    assert by_number.by_student_number and (by_number.above_number, by_number.own_number) == ("a", "b")
    assert math.isnan(by_number.own_score)
    assert res.boundary_tie


@pytest.mark.parametrize("seed", range(5))
def test_order_matches_a_brute_force_sort_of_the_stated_rule(seed):
    rng = np.random.default_rng(seed)
    n = 60
    scores = rng.choice([60.0, 70.0, 80.0, 90.0], size=(n, 4))  # few levels: many equal totals
    numbers = [f"2024{int(x):04d}" for x in rng.permutation(9000)[:n]]
    res = rank_for_selection(scores, WEIGHTS, quota=20, criteria=CRITERIA, student_numbers=numbers)
    totals = np.round(scores @ np.array(WEIGHTS), 9)
    expected = sorted(range(n), key=lambda i: (-totals[i], *(-scores[i]), numbers[i]))
    assert [e.student for e in res.entries] == expected
    assert sum(e.selected for e in res.entries) == 20
    breaks = tie_breaks(res)
    for prev, entry, tie in zip(res.entries[:-1], res.entries[1:], breaks[1:], strict=True):
        if prev.total != entry.total:
            assert tie is None
        elif tie.by_student_number:
            assert prev.student_number < entry.student_number
            assert [c.score for c in prev.contributions] == [c.score for c in entry.contributions]
        else:
            j = tie.criterion
            assert [c.score for c in prev.contributions][:j] == [c.score for c in entry.contributions][:j]
            assert tie.above_score > tie.own_score
