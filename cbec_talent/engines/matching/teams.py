"""Team suggestion for the creating space (众创空间): pick k students whose competencies complement each other.

A project needs competencies ``codes`` (m). Each candidate student has an attainment vector over those codes
(0..1, NaN = not yet assessed = 0). A student *meets* a need to the degree ``min(a, target) / target``; a
team meets it as well as its best member does. The team's coverage is the sum over the needs (0..m), a
monotone submodular function, so the greedy choice (each added member brings most of what the team still
lacks) is within 1 - 1/e of the best team; a 1-swap local search then improves it where a single exchange
of a member for a candidate helps (never worse than greedy).

Deterministic: ties between candidates go to the higher individual strength (sum of what they meet), then to
the smaller student number (candidates are compared by ``numbers``, not by their position in the input).
Pure Python + numpy: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EPS = 1e-9


class TeamInputError(ValueError):
    """The arrays do not fit together (shapes, k, targets)."""


@dataclass(frozen=True, eq=False)
class TeamProblem:
    """Needed competencies, candidates (student numbers, the tie-break) and their attainment (n x m, 0..1)."""

    codes: tuple[str, ...]
    numbers: tuple[str, ...]
    attainment: np.ndarray  # (n, m) float64, NaN = not assessed
    target: np.ndarray  # (m,) float64 level at which a need counts as fully met (0 < target <= 1)

    @property
    def n_candidates(self) -> int:
        return len(self.numbers)

    def met(self) -> np.ndarray:
        """(n, m) how far each candidate meets each need, 0..1."""
        a = np.nan_to_num(np.asarray(self.attainment, dtype=np.float64), nan=0.0)
        return np.clip(np.minimum(a, self.target[None, :]) / self.target[None, :], 0.0, 1.0)


@dataclass(frozen=True)
class MemberReason:
    """Why a member is on the team: the needs where the team's level comes from them (code, their level
    met 0..1), and what they added when chosen (greedy order) or when checked (given order)."""

    index: int
    number: str
    brings: tuple[tuple[str, float], ...]
    gain: float


@dataclass(frozen=True, eq=False)
class TeamSuggestion:
    members: tuple[int, ...]  # candidate indices, in the order chosen
    reasons: tuple[MemberReason, ...]
    coverage: np.ndarray  # (m,) the team's level met per need, 0..1
    total: float  # sum of coverage (0..m)
    greedy_total: float  # the greedy team's total before the local search
    uncovered: tuple[str, ...]  # needs the team meets below half
    swaps: int  # improving exchanges made by the local search

    @property
    def share(self) -> float:
        return float(self.total / len(self.coverage)) if len(self.coverage) else 1.0


def team_problem(codes, numbers, attainment, target=1.0) -> TeamProblem:
    """Check and freeze the inputs: attainment (n, m) over ``codes``; target a scalar or one per code."""
    codes, numbers = tuple(codes), tuple(str(x) for x in numbers)
    a = np.asarray(attainment, dtype=np.float64)
    if a.size == 0:
        a = a.reshape(len(numbers), len(codes))
    if a.ndim != 2 or a.shape != (len(numbers), len(codes)):
        raise TeamInputError(f"attainment must be {len(numbers)} x {len(codes)}, got {a.shape}")
    if len(set(numbers)) != len(numbers):
        raise TeamInputError("student numbers must be unique")
    t = np.broadcast_to(np.asarray(target, dtype=np.float64), (len(codes),)).copy()
    if np.any(~np.isfinite(t)) or np.any(t <= 0) or np.any(t > 1):
        raise TeamInputError("targets must be in (0, 1]")
    a.setflags(write=False)
    t.setflags(write=False)
    return TeamProblem(codes, numbers, a, t)


def _order(problem: TeamProblem, met: np.ndarray) -> np.ndarray:
    """Candidate preference for ties: higher individual strength first, then smaller student number."""
    strength = met.sum(axis=1)
    by_number = np.argsort(np.array(problem.numbers, dtype=object), kind="stable")
    rank_number = np.empty(len(by_number), dtype=np.int64)
    rank_number[by_number] = np.arange(len(by_number))
    return np.lexsort((rank_number, -np.round(strength, 9)))


def _greedy(met: np.ndarray, k: int, order: np.ndarray) -> tuple[list[int], list[float]]:
    chosen: list[int] = []
    gains: list[float] = []
    level = np.zeros(met.shape[1])
    free = np.ones(met.shape[0], dtype=bool)
    for _ in range(k):
        gain = np.maximum(met - level[None, :], 0.0).sum(axis=1)
        cand = order[free[order]]  # free candidates in tie-break order
        best = cand[int(np.argmax(gain[cand] > gain[cand].max() - EPS))]
        chosen.append(int(best))
        gains.append(float(gain[best]))
        level = np.maximum(level, met[best])
        free[best] = False
    return chosen, gains


def _total(met: np.ndarray, members) -> float:
    return float(met[list(members)].max(axis=0).sum()) if len(members) else 0.0


def _local_search(met: np.ndarray, team: list[int], order: np.ndarray, max_rounds: int = 100) -> tuple[list[int], int]:
    """Best-improvement 1-swap: replace the member whose exchange helps most (ties: earliest member, then
    the candidate first in tie-break order) until no exchange helps by more than EPS."""
    team = list(team)
    swaps = 0
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    for _ in range(max_rounds):
        current = _total(met, team)
        inside = set(team)
        outside = np.array([c for c in order if c not in inside], dtype=np.int64)
        if outside.size == 0:
            break
        best = (EPS, None, None)
        for slot in range(len(team)):
            rest = team[:slot] + team[slot + 1 :]
            base = met[rest].max(axis=0) if rest else np.zeros(met.shape[1])
            totals = np.maximum(met[outside], base[None, :]).sum(axis=1) - current
            j = int(np.argmax(totals > totals.max() - EPS))
            if totals[j] > best[0] + EPS:
                best = (float(totals[j]), slot, int(outside[j]))
        if best[1] is None:
            break
        team[best[1]] = best[2]
        swaps += 1
    return team, swaps


def explain_team(problem: TeamProblem, members, gains=None, *, greedy_total=None, swaps: int = 0) -> TeamSuggestion:
    """Coverage of a given team (members in their order) and what each member brings: the needs where the
    team's level comes from them (on a tie, from the earlier member). ``gain`` is what a member adds over the
    members before them, unless ``gains`` are given."""
    met = problem.met()
    members = tuple(int(i) for i in members)
    m = len(problem.codes)
    coverage = met[list(members)].max(axis=0) if members else np.zeros(m)
    owner = np.full(m, -1, dtype=np.int64)
    level = np.zeros(m)
    computed = []
    for pos, i in enumerate(members):
        computed.append(float(np.maximum(met[i] - level, 0.0).sum()))
        better = met[i] > level + EPS
        owner[better] = pos
        level = np.maximum(level, met[i])
    reasons = []
    for pos, i in enumerate(members):
        brings = tuple((problem.codes[j], round(float(met[i, j]), 4)) for j in range(m) if owner[j] == pos)
        gain = computed[pos] if gains is None else float(gains[pos])
        reasons.append(MemberReason(i, problem.numbers[i], brings, round(gain, 6)))
    total = float(coverage.sum())
    uncovered = tuple(problem.codes[j] for j in range(m) if coverage[j] < 0.5)
    return TeamSuggestion(
        members=members,
        reasons=tuple(reasons),
        coverage=coverage,
        total=total,
        greedy_total=total if greedy_total is None else float(greedy_total),
        uncovered=uncovered,
        swaps=swaps,
    )


def suggest_team(problem: TeamProblem, k: int, *, local_search: bool = True) -> TeamSuggestion:
    """Choose min(k, n) candidates maximising the team's coverage of the needs (greedy, then 1-swaps)."""
    if k < 1:
        raise TeamInputError("k must be at least 1")
    k = min(k, problem.n_candidates)
    if k == 0:
        return explain_team(problem, ())
    met = problem.met()
    order = _order(problem, met)
    chosen, gains = _greedy(met, k, order)
    greedy_total = _total(met, chosen)
    swaps = 0
    if local_search:
        improved, swaps = _local_search(met, chosen, order)
        if swaps:
            # keep the greedy order of explanation: re-run greedy restricted to the improved team
            members = set(improved)
            chosen, gains = _greedy_within(met, np.array([c for c in order if c in members], dtype=np.int64))
    return explain_team(problem, chosen, gains, greedy_total=greedy_total, swaps=swaps)


def _greedy_within(met: np.ndarray, candidates: np.ndarray) -> tuple[list[int], list[float]]:
    """Greedy order of a fixed set of members (candidates already in tie-break order)."""
    chosen: list[int] = []
    gains: list[float] = []
    level = np.zeros(met.shape[1])
    left = list(int(c) for c in candidates)
    while left:
        gain = np.array([np.maximum(met[c] - level, 0.0).sum() for c in left])
        j = int(np.argmax(gain > gain.max() - EPS))
        chosen.append(left.pop(j))
        gains.append(float(gain[j]))
        level = np.maximum(level, met[chosen[-1]])
    return chosen, gains


def strongest_individuals(problem: TeamProblem, k: int) -> tuple[int, ...]:
    """The k candidates with the highest individual strength (the naive team), same tie-break."""
    met = problem.met()
    return tuple(int(i) for i in _order(problem, met)[: min(k, problem.n_candidates)])
