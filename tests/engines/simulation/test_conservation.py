"""Property tests: money and stock are conserved and stock never goes negative, whatever the decisions."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbec_talent.engines.simulation import Decisions, new_game, step


def random_decisions(state, rng: np.random.Generator) -> Decisions:
    T, P, M = state.overseas.shape
    d = state.derived
    listed = rng.random((T, P, M)) < 0.85
    return Decisions(
        price_local=d.ref_local * rng.uniform(0.3, 2.5, (T, P, M)) * listed,
        ad_spend=rng.choice([0.0, 10.0, 200.0, 5000.0], (T, P, M)),
        reorder=rng.integers(0, 400, (T, P)) * (rng.random((T, P)) < 0.6),
        ship_sea=rng.integers(0, 300, (T, P, M)) * (rng.random((T, P, M)) < 0.3),
        express=rng.random((T, P, M)) < 0.4,
        content=rng.random((T, P, M)),
        images=rng.random((T, P, M)),
        reply_hours=rng.uniform(0, 20, (T, M)),
    )


def check_invariants(old, new, res) -> None:
    # cash in = cash out + change in cash, and cash out is exactly the listed cost lines (+ negative payouts)
    np.testing.assert_allclose(new.cash - old.cash, res.cash_in - res.cash_out, rtol=0, atol=1e-6)
    lines = sum(res.costs.values()) + np.maximum(-res.payout_cny, 0.0)
    np.testing.assert_allclose(res.cash_out, lines, rtol=1e-12, atol=1e-6)
    # units bought = kept by buyers + returned and lost + in stock + in transit, exactly
    assert (new.units_bought == new.units_kept + new.units_lost + new.units_in_stock() + new.units_in_transit()).all()
    for arr in (
        new.home,
        new.overseas,
        new.supply_pipe,
        *new.sea_pipe,
        res.orders,
        res.shipped,
        res.late,
        res.returned,
        res.lost,
    ):
        assert arr.min() >= 0
    assert (res.shipped <= res.orders).all()
    assert (res.late <= res.shipped).all() and (res.returned <= res.shipped).all()
    assert (res.lost <= res.returned).all()
    assert ((new.rating >= 1.0) & (new.rating <= 5.0)).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["first_store", "multi_market", "peak_season_warehouse"]),
    teams=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
    rounds=st.integers(1, 12),
)
def test_money_and_stock_conserved_for_any_decisions(scenarios, name, teams, seed, rounds):
    scenario = scenarios[name]
    state = new_game(scenario, teams, seed)
    rng = np.random.default_rng(seed ^ 0x5EED)
    start_cash = state.cash.copy()
    paid_in = np.zeros(teams)
    paid_out = np.zeros(teams)
    for _ in range(rounds):
        new, res = step(state, random_decisions(state, rng))
        check_invariants(state, new, res)
        paid_in += res.cash_in
        paid_out += res.cash_out
        state = new
    np.testing.assert_allclose(state.cash, start_cash + paid_in - paid_out, rtol=1e-12, atol=1e-5)


def test_nothing_to_sell_means_no_sales_and_full_stock_out(build, raw_first_store):
    raw_first_store["initial_stock"] = 0
    scenario = build(raw_first_store)
    state = new_game(scenario, 3, 1)
    rng = np.random.default_rng(0)
    dec = random_decisions(state, rng)
    dec = Decisions(**{**dec.__dict__, "reorder": np.zeros_like(dec.reorder)})
    new, res = step(state, dec)
    assert res.orders.sum() > 0
    assert res.shipped.sum() == 0
    assert (res.kpis["fill_rate"] == 0).all()
    assert (new.units_in_stock() == 0).all()
