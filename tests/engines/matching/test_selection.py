"""Class selection ranking: weighted totals, per-criterion contributions, stated tie-break, quota."""

from __future__ import annotations

import numpy as np
import pytest

from cbec_talent.engines.matching import rank_for_selection

CRITERIA = ("willingness", "professional ability", "learning ability", "diligence")
WEIGHTS = (0.4, 0.3, 0.2, 0.1)


def test_ranking_totals_contributions_and_quota():
    scores = np.array([[80, 70, 90, 60], [90, 90, 90, 90], [50, 60, 70, 80]], dtype=float)
    res = rank_for_selection(scores, WEIGHTS, quota=2, criteria=CRITERIA, student_numbers=["s1", "s2", "s3"])
    assert [e.student for e in res.entries] == [1, 0, 2]
    assert res.selected == (1, 0)
    first = res.entries[0]
    assert first.total == pytest.approx(90.0)
    assert [c.contribution for c in first.contributions] == pytest.approx([36.0, 27.0, 18.0, 9.0])
    assert sum(c.contribution for c in res.entries[1].contributions) == pytest.approx(res.entries[1].total)
    assert not res.boundary_tie and "willingness" in res.rule


def test_equal_totals_broken_by_first_criterion_then_next_then_student_number():
    # totals all 75: a and b differ on willingness; c and d are equal everywhere
    scores = np.array(
        [
            [75, 75, 75, 75],  # a: 75
            [80, 70, 72.5, 75],  # b: 32 + 21 + 14.5 + 7.5 = 75
            [75, 75, 75, 75],  # c: 75
            [75, 75, 75, 75],  # d: 75
        ],
    )
    numbers = ["2024003", "2024009", "2024001", "2024002"]
    res = rank_for_selection(scores, WEIGHTS, quota=2, criteria=CRITERIA, student_numbers=numbers)
    assert [e.total for e in res.entries] == pytest.approx([75.0] * 4)
    # b first: higher willingness; then c (2024001), d (2024002), a (2024003) by student number
    assert [e.student for e in res.entries] == [1, 2, 3, 0]
    assert res.entries[0].tie_break == ""
    assert "willingness (80 > 75)" in res.entries[1].tie_break
    assert "student number (2024001 < 2024002)" in res.entries[2].tie_break
    assert res.boundary_tie  # 2nd and 3rd share a total of 75


def test_second_criterion_decides_when_first_is_equal():
    scores = np.array([[80, 60, 80, 80], [80, 70, 65, 80]], dtype=float)  # totals 74 and 74
    res = rank_for_selection(scores, WEIGHTS, quota=1, criteria=CRITERIA, student_numbers=["a", "b"])
    assert [e.student for e in res.entries] == [1, 0]
    assert "professional ability (70 > 60)" in res.entries[1].tie_break


def test_bad_input_is_rejected():
    with pytest.raises(ValueError):
        rank_for_selection(np.ones((2, 4)), WEIGHTS, 1, CRITERIA, ["x", "x"])
    with pytest.raises(ValueError):
        rank_for_selection(np.ones((2, 3)), WEIGHTS, 1, CRITERIA, ["x", "y"])
    with pytest.raises(ValueError):
        rank_for_selection(np.ones((2, 4)), (-1, 0, 0, 0), 1, CRITERIA, ["x", "y"])
