"""Demand shifts: the two-proportion z-test, Benjamini-Hochberg, and the minimum effect size."""

from __future__ import annotations

import math

from cbec_talent.engines.demand.shifts import benjamini_hochberg, compare_windows, two_proportion_z


def test_z_test_matches_a_hand_computation():
    # 30/100 before, 50/100 now: pooled 0.4, se = sqrt(0.4*0.6*0.02) = 0.069282
    z, p = two_proportion_z(30, 100, 50, 100)
    assert math.isclose(z, 0.2 / math.sqrt(0.4 * 0.6 * 0.02), rel_tol=1e-12)
    assert math.isclose(p, 0.0038924, rel_tol=1e-3)
    assert two_proportion_z(0, 0, 5, 10) == (0.0, 1.0)
    assert two_proportion_z(0, 10, 0, 10) == (0.0, 1.0)


def test_benjamini_hochberg_known_values():
    # the textbook example: p = .01 .04 .03 .005 -> q = .02 .04 .04 .02
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.005])
    assert [round(v, 6) for v in q] == [0.02, 0.04, 0.04, 0.02]


def test_compare_windows_reports_only_significant_and_large_moves():
    before = {"competency": {"DATA": 20, "OPS": 50, "NOISE": 10}, "platform": {"amazon": 60}, "language": {}}
    now = {"competency": {"DATA": 80, "OPS": 52, "NOISE": 12}, "platform": {"amazon": 58, "tiktok": 40}}
    reported, every = compare_windows(before, 100, now, 100, min_effect=0.05)
    assert {(s.kind, s.code) for s in reported} == {("competency", "DATA"), ("platform", "tiktok")}
    assert reported[0].code == "DATA" and math.isclose(reported[0].change, 0.6)
    assert len(every) == 5
    # a large minimum effect keeps only the biggest move; a tiny one with big samples keeps small moves
    assert [s.code for s in compare_windows(before, 100, now, 100, min_effect=0.5)[0]] == ["DATA"]
    big_before = {"competency": {"OPS": 50_000}}
    big_now = {"competency": {"OPS": 51_500}}
    assert compare_windows(big_before, 100_000, big_now, 100_000, min_effect=0.05)[0] == []
    assert [s.code for s in compare_windows(big_before, 100_000, big_now, 100_000, min_effect=0.01)[0]] == ["OPS"]
