"""The float32 samplers reproduce the Poisson and binomial laws and respect their bounds."""

from __future__ import annotations

import numpy as np
import pytest

from cbec_talent.engines.simulation import default_decisions, new_game, step
from cbec_talent.engines.simulation import engine as engine_mod
from cbec_talent.engines.simulation.sampling import binomial, poisson


@pytest.mark.parametrize("lam", [0.05, 0.7, 3.0, 12.0, 45.0])
def test_poisson_mean_variance_and_zero_share(lam):
    rng = np.random.default_rng(1)
    n = 200_000
    k = poisson(rng.random(n, dtype=np.float32), np.full(n, lam, np.float32))
    assert k.min() >= 0
    assert k.mean() == pytest.approx(lam, rel=0.02, abs=0.003)
    assert k.var() == pytest.approx(lam, rel=0.04, abs=0.005)
    if lam < 20:
        assert (k == 0).mean() == pytest.approx(np.exp(-lam), abs=0.004)


@pytest.mark.parametrize(("n", "p"), [(1, 0.5), (3, 0.02), (10, 0.3), (25, 0.9), (400, 0.5)])
def test_binomial_law_and_bounds(n, p):
    rng = np.random.default_rng(2)
    size = 200_000
    k = binomial(rng.random(size, dtype=np.float32), np.full(size, n), np.float32(p))
    assert k.min() >= 0 and k.max() <= n
    assert k.mean() == pytest.approx(n * p, rel=0.02)
    assert k.var() == pytest.approx(n * p * (1 - p), rel=0.05)


def test_zero_trials_give_zero():
    u = np.random.default_rng(3).random(1000, dtype=np.float32)
    assert (binomial(u, np.zeros(1000, np.int32), np.float32(0.7)) == 0).all()
    assert (poisson(u, np.zeros(1000, np.float32)) == 0).all()


def test_results_do_not_depend_on_how_teams_are_sliced(scenarios, monkeypatch):
    s = scenarios["multi_market"]

    def play():
        state = new_game(s, 7, 5)
        out = []
        for _ in range(4):
            state, res = step(state, default_decisions(state))
            out.append(res)
        return state, out

    whole_state, whole = play()
    monkeypatch.setattr(engine_mod, "CHUNK_TEAMS", 3)
    sliced_state, sliced = play()
    assert np.array_equal(whole_state.cash, sliced_state.cash)
    for a, b in zip(whole, sliced, strict=True):
        assert np.array_equal(a.orders, b.orders) and np.array_equal(a.returned, b.returned)
        assert np.array_equal(a.kpis["profit"], b.kpis["profit"])
