"""Headless runs: play a whole scenario with the bot policy and record the seed and parameters."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from .data import Decisions, RoundResult, RunRecord, Scenario, State
from .engine import new_game, step
from .policy import default_decisions

ENGINE_VERSION = "1.0"


def run_record(state: State, **parameters: object) -> RunRecord:
    """Seed, sizes, scenario source and any extra parameters of a run, for storing beside its results."""
    s = state.scenario
    sv = {f.name: np.asarray(getattr(state.services, f.name)).tolist() for f in dataclasses.fields(state.services)}
    return RunRecord(
        scenario=s.name,
        source=s.source,
        seed=state.seed,
        teams=state.teams,
        rounds=s.rounds,
        products=len(s.products),
        markets=len(s.markets),
        engine_version=ENGINE_VERSION,
        numpy_version=np.__version__,
        parameters={"services": sv, **parameters},
    )


def run_game(
    scenario: Scenario,
    teams: int,
    seed: int,
    policy: Callable[[State], Decisions] = default_decisions,
    rounds: int | None = None,
) -> tuple[State, list[RoundResult], RunRecord]:
    """Play ``rounds`` (default: all) rounds with ``policy`` for every team."""
    state = new_game(scenario, teams, seed)
    record = run_record(state, policy=getattr(policy, "__name__", str(policy)))
    results = []
    for _ in range(scenario.rounds if rounds is None else min(rounds, scenario.rounds)):
        state, res = step(state, policy(state))
        results.append(res)
    return state, results, record
