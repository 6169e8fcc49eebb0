"""Game set-up: scenario arrays laid out for broadcasting, a new game's state, and the events of a round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .data import Env, Scenario, Services, State

F32 = np.float32
LOCAL_FULFIL_FIXED = 8.0  # CNY per unit picked and delivered from an overseas warehouse
LOCAL_FULFIL_KG = 10.0
LOCAL_DAYS = 3.0
PARCEL_CLEARANCE_SHARE = 0.1  # a dutiable parcel's clearance costs this share of a sea-lot declaration
PRIOR_REVIEWS = 3.0
PRIOR_RATING = 4.0


@dataclass(frozen=True)
class Derived:
    """Scenario arrays laid out for broadcasting; computed once in ``new_game``."""

    commission: np.ndarray  # (M,) float32 like every per-cell array (float64 would promote whole tensors)
    fixed_fee: np.ndarray
    ad_eff: np.ndarray
    review_rate: np.ndarray
    min_content: np.ndarray
    late_thr: np.ndarray
    pen_factor: np.ndarray
    pen_rounds: np.ndarray
    pay_idx: np.ndarray  # (M,) int
    traffic: np.ndarray
    plat_of_market: np.ndarray  # (Pl, M) 0/1
    subscription: np.ndarray  # (Pl,)
    vat: np.ndarray
    threshold: np.ndarray
    duty: np.ndarray  # (P,M)
    demand: np.ndarray  # (P,M) base orders per round
    elasticity: np.ndarray
    season: np.ndarray  # (R,M)
    postal_days: np.ndarray
    express_days: np.ndarray
    promise: np.ndarray
    sea_rounds: np.ndarray  # (M,) int
    storage: np.ndarray
    unit_cost: np.ndarray  # (P,)
    weight: np.ndarray
    ref_local: np.ndarray  # (P,M)
    return_rate: np.ndarray  # (P,)
    is_en: np.ndarray  # (M,) bool: the buyers' language is English


def derive(s: Scenario) -> Derived:
    """Lay the scenario's tables out as arrays."""
    P, M = s.shape
    plats = [p.name for p in s.platforms]
    pl = [next(p for p in s.platforms if p.name == m.platform) for m in s.markets]
    f = lambda attr, src=pl: np.array([getattr(x, attr) for x in src], dtype=F32)  # noqa: E731
    plat_of_market = np.zeros((len(plats), M))
    for j, m in enumerate(s.markets):
        plat_of_market[plats.index(m.platform), j] = 1.0
    duty = np.array(
        [[m.duty_by_heading.get(p.hs_heading, m.default_duty) for m in s.markets] for p in s.products], dtype=F32
    )
    weeks = np.array([dt.date.fromisoformat(d).isocalendar()[1] for d in s.fx_dates])
    season = np.empty((s.rounds, M), dtype=F32)
    for j, m in enumerate(s.markets):
        season[:, j] = 1.0 + m.season_amp * np.cos(2 * np.pi * (weeks - m.season_peak_week) / 52.0)
        for week, boost in m.holidays:
            season[:, j] += boost * (weeks == week)
    ref_eur = np.array([p.ref_price_eur for p in s.products])
    ref_local = (ref_eur[:, None] * s.fx_eur[0] / s.fx[0][None, :]).astype(F32)
    base = np.array([p.base_demand for p in s.products], dtype=F32)[:, None] * f("demand", s.markets)[None, :]
    base = base * f("traffic") / f("competition", s.markets)
    return Derived(
        commission=f("commission"),
        fixed_fee=f("fixed_fee"),
        ad_eff=f("ad_efficiency"),
        review_rate=f("review_rate"),
        min_content=f("min_content"),
        late_thr=f("late_threshold"),
        pen_factor=f("penalty_factor"),
        pen_rounds=f("penalty_rounds").astype(np.int64),
        pay_idx=np.maximum(f("payout_delay").astype(np.int64), 1) - 1,
        traffic=f("traffic"),
        plat_of_market=plat_of_market,
        subscription=np.array([p.subscription for p in s.platforms]),
        vat=f("vat_rate", s.markets),
        threshold=f("duty_threshold_local", s.markets),
        duty=duty,
        demand=base,
        elasticity=f("elasticity", s.markets),
        season=season,
        postal_days=f("postal_days", s.markets),
        express_days=f("express_days", s.markets),
        promise=f("promise_days", s.markets),
        sea_rounds=np.maximum(f("sea_rounds", s.markets).astype(np.int64), 1),
        storage=f("storage_fee", s.markets),
        unit_cost=np.array([p.unit_cost for p in s.products], dtype=F32),
        weight=np.array([p.weight_kg for p in s.products], dtype=F32),
        ref_local=ref_local,
        return_rate=np.array([p.return_rate for p in s.products], dtype=F32),
        is_en=np.array([m.language == "en" for m in s.markets]),
    )


def default_services(scenario: Scenario, teams: int) -> Services:
    """Service terms when the model plays logistics, broker, payment provider and buyers."""
    one = np.ones(teams)
    return Services(
        ship_cost_factor=one.copy(),
        ontime_shift_days=np.zeros(teams),
        broker_fee=one * scenario.broker_fee,
        declaration_error=one * 0.02,
        payment_fee=one * scenario.payment_fee,
        fx_spread=one * scenario.fx_spread,
        buyer_price_sensitivity=one.copy(),
    )


def new_game(scenario: Scenario, teams: int, seed: int, services: Services | None = None) -> State:
    """Start a game: every team gets the scenario's cash and home stock; nothing listed yet."""
    if teams < 1:
        raise ValueError("teams must be at least 1")
    d = derive(scenario)
    P, M = scenario.shape
    T = teams
    S = int(d.sea_rounds.max()) + 4
    D = int(d.pay_idx.max()) + 1
    rng = np.random.Generator(np.random.PCG64(seed))
    zeros = np.zeros((T, P, M), F32)
    home = np.full((T, P), scenario.initial_stock, dtype=np.int32)
    return State(
        scenario=scenario,
        seed=int(seed),
        round=0,
        rng_state=rng.bit_generator.state,
        env=Env(
            fx_factor=np.ones(M),
            postal_delay_days=np.zeros(M),
            sea_delay_rounds=np.zeros(M, np.int64),
            commission=d.commission.copy(),
            duty=d.duty.copy(),
        ),
        services=services if services is not None else default_services(scenario, T),
        derived=d,
        cash=np.full(T, scenario.initial_cash),
        home=home,
        overseas=np.zeros((T, P, M), np.int32),
        supply_pipe=np.zeros((T, P, max(scenario.supply_lead, 1)), np.int32),
        sea_pipe=tuple(np.zeros((T, P, M), np.int32) for _ in range(S)),
        pay_pipe=np.zeros((T, M, D)),
        content=zeros.copy(),
        images=zeros.copy(),
        rating=np.full((T, P, M), PRIOR_RATING, F32),
        reviews=zeros.copy(),
        penalty=np.zeros((T, M), np.int64),
        units_bought=home.astype(np.int64),
        units_kept=np.zeros((T, P), np.int64),
        units_lost=np.zeros((T, P), np.int64),
    )


def apply_events(state: State, u: np.ndarray) -> Env:
    s, env = state.scenario, state.env
    fx_factor, commission, duty = env.fx_factor.copy(), env.commission.copy(), env.duty.copy()
    postal = np.zeros_like(env.postal_delay_days)
    sea = np.zeros_like(env.sea_delay_rounds)
    log: list[str] = []
    k = 0
    for e in s.events:
        if e.round is None:
            hit = u[k] < e.probability
            k += 1
        else:
            hit = e.round == state.round
        if not hit:
            continue
        if e.kind == "platform_rule_change":
            mask = np.array([m.platform == e.target or e.target == "*" for m in s.markets])
            commission[mask] = np.clip(commission[mask] + e.magnitude, 0.0, 0.5)
        else:
            mask = np.array([e.target in ("*", m.code, m.country, m.currency) for m in s.markets])
            if e.kind == "fx_shock":
                fx_factor[mask] *= 1.0 + e.magnitude
            elif e.kind == "port_delay":
                postal[mask] += e.magnitude
                sea[mask] += int(np.ceil(e.magnitude / s.round_days))
            else:  # tariff_change
                duty[:, mask] = np.maximum(duty[:, mask] + e.magnitude, 0.0)
        log.append(f"{e.kind}:{e.target}:{e.magnitude:+g}")
    return Env(
        fx_factor=fx_factor,
        postal_delay_days=postal,
        sea_delay_rounds=sea,
        commission=commission,
        duty=duty,
        log=tuple(log),
    )
