"""Team suggestion (creating space): complementary coverage beats the k strongest, deterministic ties,
explanations per member, local search never worse than greedy, brute force on tiny instances."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_talent.engines.matching.teams import (
    TeamInputError,
    explain_team,
    strongest_individuals,
    suggest_team,
    team_problem,
)


def _coverage(problem, members) -> float:
    return float(problem.met()[list(members)].max(axis=0).sum())


def test_complementary_team_beats_the_two_strongest_students():
    # given a store-incubation project needing platform operation, marketing and English; two strong students
    # who are both operators/marketers, and a weaker student who is the only one with English
    problem = team_problem(
        ["OPS.PLATFORM", "MKT.ONLINE", "LANG.EN"],
        ["S01", "S02", "S03"],
        [[0.9, 0.9, 0.0], [0.95, 0.85, 0.0], [0.1, 0.0, 0.8]],
        target=0.8,
    )
    # when a team of two is suggested
    team = suggest_team(problem, 2)
    # then the team covers all three needs with S03's English, whereas the two strongest leave English open
    strongest = strongest_individuals(problem, 2)
    assert sorted(problem.numbers[i] for i in strongest) == ["S01", "S02"]
    assert _coverage(problem, strongest) == pytest.approx(2.0)
    assert [problem.numbers[i] for i in team.members] == ["S01", "S03"]  # S01 ties S02, smaller number
    assert team.total == pytest.approx(3.0)
    assert team.uncovered == ()
    # and each member is explained by what they bring
    reasons = {r.number: dict(r.brings) for r in team.reasons}
    assert reasons["S01"] == {"OPS.PLATFORM": 1.0, "MKT.ONLINE": 1.0}
    assert reasons["S03"] == {"LANG.EN": 1.0}
    assert [r.gain for r in team.reasons] == [pytest.approx(2.0), pytest.approx(1.0)]


def test_ties_go_to_the_smaller_student_number_whatever_the_input_order():
    # given three identical students listed out of number order
    problem = team_problem(["A", "B"], ["2024003", "2024001", "2024002"], [[0.5, 0.5]] * 3)
    # when one student is chosen
    team = suggest_team(problem, 1)
    # then it is the smallest number
    assert problem.numbers[team.members[0]] == "2024001"


def test_ties_in_gain_prefer_the_individually_stronger_student():
    # given S2 and S3 add the same missing competency B once S1 is chosen, but S3 is stronger overall
    problem = team_problem(["A", "B", "C"], ["S1", "S2", "S3"], [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.5, 1.0, 0.0]])
    # when a team of two is chosen
    team = suggest_team(problem, 2, local_search=False)
    # then S3 wins the tie in gain (both add B fully) because of the higher individual strength
    assert [problem.numbers[i] for i in team.members] == ["S1", "S3"]


def test_local_search_repairs_a_greedy_trap():
    # given the classic trap: S1 covers four of six needs, but S2 and S3 together cover all six
    codes = ["a", "b", "c", "d", "e", "f"]
    rows = {"S1": "bcef", "S2": "abc", "S3": "def"}
    problem = team_problem(codes, list(rows), [[1.0 if c in v else 0.0 for c in codes] for v in rows.values()])
    # when greedy alone picks S1 first, it reaches 5
    greedy = suggest_team(problem, 2, local_search=False)
    assert greedy.total == pytest.approx(5.0)
    assert problem.numbers[greedy.members[0]] == "S1"
    # then the local search swaps S1 out and covers everything
    better = suggest_team(problem, 2)
    assert sorted(problem.numbers[i] for i in better.members) == ["S2", "S3"]
    assert better.total == pytest.approx(6.0)
    assert better.greedy_total == pytest.approx(5.0)
    assert better.swaps == 1


def test_partial_attainment_counts_towards_the_target_and_nan_is_not_assessed():
    # given target 0.7: a student at 0.35 meets half of the need; NaN means not assessed
    problem = team_problem(["A", "B"], ["S1", "S2"], [[0.35, np.nan], [np.nan, 0.9]], target=0.7)
    met = problem.met()
    assert met[0].tolist() == [pytest.approx(0.5), 0.0]
    assert met[1].tolist() == [0.0, 1.0]
    team = suggest_team(problem, 1)
    # then the full B (1.0) beats half an A (0.5); A stays uncovered (below half is uncovered; 0.5 is not below)
    assert problem.numbers[team.members[0]] == "S2"
    assert team.uncovered == ("A",)


def test_k_larger_than_the_candidates_takes_everyone_and_bad_inputs_are_refused():
    problem = team_problem(["A"], ["S1", "S2"], [[0.2], [0.4]])
    assert sorted(suggest_team(problem, 5).members) == [0, 1]
    with pytest.raises(TeamInputError):
        suggest_team(problem, 0)
    with pytest.raises(TeamInputError):
        team_problem(["A", "B"], ["S1"], [[0.2]])
    with pytest.raises(TeamInputError):
        team_problem(["A"], ["S1", "S1"], [[0.2], [0.3]])
    with pytest.raises(TeamInputError):
        team_problem(["A"], ["S1"], [[0.2]], target=0.0)
    empty = team_problem(["A"], [], np.zeros((0, 1)))
    assert suggest_team(empty, 3).members == ()


def test_explain_an_existing_team_credits_ties_to_the_earlier_member():
    # given a team formed by hand where both members meet A fully
    problem = team_problem(["A", "B"], ["S1", "S2"], [[1.0, 0.0], [1.0, 0.6]])
    # when explained in the order S2, S1
    team = explain_team(problem, [1, 0])
    # then S2 brings both needs, S1 adds nothing new
    assert team.reasons[0].brings == (("A", 1.0), ("B", 0.6))
    assert team.reasons[1].brings == ()
    assert team.reasons[1].gain == 0.0
    assert team.total == pytest.approx(1.6)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=7),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=10_000),
)
def test_never_worse_than_greedy_and_within_the_bound_of_the_best_team(n, m, k, seed):
    rng = np.random.default_rng(seed)
    a = rng.choice([0.0, 0.3, 0.6, 1.0], size=(n, m))
    problem = team_problem([f"C{j}" for j in range(m)], [f"S{i:02d}" for i in range(n)], a)
    team = suggest_team(problem, k)
    size = min(k, n)
    best = max(_coverage(problem, c) for c in itertools.combinations(range(n), size))
    assert len(set(team.members)) == size
    assert team.total == pytest.approx(_coverage(problem, team.members))
    assert team.total >= team.greedy_total - 1e-9
    assert team.total >= (1 - 1 / np.e) * best - 1e-9
    assert team.total <= best + 1e-9
    # deterministic: the same input gives the same team
    assert suggest_team(problem, k).members == team.members
    # every need the team meets is credited to exactly one member
    credited = [code for r in team.reasons for code, _level in r.brings]
    assert sorted(credited) == sorted(c for c, v in zip(problem.codes, team.coverage, strict=True) if v > 1e-9)
