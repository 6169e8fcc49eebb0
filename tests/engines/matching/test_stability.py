"""check_assignment on hand-edited assignments: capacity violations, invalid placements, blocking pairs."""

from __future__ import annotations

import numpy as np

from cbec_talent.engines.matching import check_assignment, instance_from_lists, is_stable, match_students


def _instance():
    # post A (2 seats) ranks s3, s2, s0, s1; post B (1 seat) ranks s0, s3, s2 (s1 not ranked by B)
    return instance_from_lists(
        capacity=[2, 1],
        student_prefs=[[0, 1], [0, 1], [0, 1], [0, 1]],
        post_prefs=[[3, 2, 0, 1], [0, 3, 2]],
    )


def test_engine_result_passes_the_check():
    inst = _instance()
    res = match_students(inst)
    report = check_assignment(inst, res.post_of_student)
    assert report.ok
    assert is_stable(inst, res.post_of_student)


def test_swapping_two_students_creates_the_expected_blocking_pair():
    inst = _instance()
    # engine: s3, s2 -> A; s0 -> B; s1 unplaced.  Hand edit: put s0 into A instead of s2, s2 into B.
    edited = np.array([0, -1, 1, 0])
    report = check_assignment(inst, edited)
    assert not report.ok
    assert report.capacity_violations == ()
    assert report.invalid == ()
    pairs = {(b.student, b.post, b.reason, b.displaced_student) for b in report.blocking_pairs}
    # s2 prefers A and A ranks s2 (1) above s0 (2), its worst admitted
    assert (2, 0, "outranks_admitted", 0) in pairs
    # s0 is now at A (first choice): no complaint from s0; B prefers s0 but s0 prefers A, so no pair
    assert all(b.student != 0 for b in report.blocking_pairs)


def test_free_seat_and_capacity_violation_are_reported():
    inst = _instance()
    over = np.array([0, -1, 0, 0])  # three students in A (2 seats), B empty
    report = check_assignment(inst, over)
    assert [(v.post, v.assigned, v.capacity) for v in report.capacity_violations] == [(0, 3, 2)]
    # s1 (the only one not at a first choice) is declined by B and ranked below everyone at A
    assert report.blocking_pairs == ()
    free = check_assignment(inst, np.array([0, -1, 0, -1]))
    # s3 is unplaced: A ranks s3 first (above its worst, s0) and B has a free seat
    assert {(b.student, b.post, b.reason, b.displaced_student) for b in free.blocking_pairs} == {
        (3, 0, "outranks_admitted", 0),
        (3, 1, "free_seat", -1),
    }


def test_invalid_placements_are_named():
    inst = instance_from_lists(capacity=[1, 1, 1], student_prefs=[[0], [1], []], post_prefs=[[0], [], []])
    report = check_assignment(inst, np.array([1, 1, 7]))
    assert {(i.student, i.post, i.reason) for i in report.invalid} == {
        (0, 1, "not_applied"),
        (1, 1, "not_acceptable"),
        (2, 7, "unknown_post"),
    }
    assert not is_stable(inst, np.array([1, 1, 7]))
