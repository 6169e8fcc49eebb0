"""The vectorised round step: every team, product and market at once, numpy only.

Order of random draws in a round (fixed, so a seed reproduces a game bit for bit), all from
``numpy.random.Generator(PCG64(seed))``:
1. one float64 uniform per random event of the scenario (shared by all teams: common random numbers);
2. one float32 uniform block of shape (5,T,P,M): [0] orders, [1] late direct parcels, [2] returns,
   [3] review noise, [4] late warehouse deliveries. Orders (Poisson) and late deliveries and returns
   (binomial) are drawn by exact CDF inversion of these uniforms (rounded normal limit only for very large
   cells), so they are always integers and never exceed the units they thin.
Per-cell tensors are float32 (money summed per team in float64), which keeps 1,000 teams x 20 products x
10 markets at a few milliseconds per round.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np

from .data import KPI_NAMES, Decisions, RoundResult, State
from .game import (
    F32,
    LOCAL_DAYS,
    LOCAL_FULFIL_FIXED,
    LOCAL_FULFIL_KG,
    PARCEL_CLEARANCE_SHARE,
    PRIOR_RATING,
    PRIOR_REVIEWS,
    apply_events,
    new_game,
)
from .sampling import binomial, poisson, unit_noise

__all__ = ["step", "new_game"]


@lru_cache(maxsize=16)
def _selectors(P: int, M: int) -> tuple[np.ndarray, np.ndarray]:
    """0/1 matrices that sum a flattened (P*M) axis by market or by product (BLAS is ~15x faster than numpy's
    reduction over a short inner axis; used for integer counts, where float32 sums are exact)."""
    eye_m, eye_p = np.eye(M, dtype=F32), np.eye(P, dtype=F32)
    return np.tile(eye_m, (P, 1)), np.repeat(eye_p, M, axis=0)


def _flat(x: np.ndarray) -> np.ndarray:
    return x.reshape(x.shape[0], -1).astype(F32, copy=False)


def _by_market(x: np.ndarray) -> np.ndarray:
    """(T,P,M) -> (T,M) float32 sums over products (for counts only: exact below 2**24)."""
    return _flat(x) @ _selectors(x.shape[1], x.shape[2])[0]


def _by_product(x: np.ndarray) -> np.ndarray:
    """(T,P,M) -> (T,P) float32 sums over markets (for counts only: exact below 2**24)."""
    return _flat(x) @ _selectors(x.shape[1], x.shape[2])[1]


def _count(x: np.ndarray) -> np.ndarray:
    """Exact integer result of a float32 sum of counts (exact below 2**24)."""
    return np.rint(x).astype(np.int32)


def _sum(x: np.ndarray) -> np.ndarray:
    """(T,P,M) -> (T,) team totals in float64, summed row by row (independent of T and memory layout, so a
    seed reproduces money bit for bit)."""
    return x.reshape(x.shape[0], -1).astype(np.float64).sum(axis=1)


def _count_total(x: np.ndarray) -> np.ndarray:
    """(T,P,M) counts -> (T,) float64 totals (exact: BLAS float32 sums of integers below 2**24)."""
    return _by_product(x).astype(np.float64).sum(axis=1)


def _per_unit(counts_tp: np.ndarray, rate_p: np.ndarray) -> np.ndarray:
    """(T,P) unit counts times a per-product rate -> (T,) float64 totals."""
    return (counts_tp.astype(np.float64) * rate_p.astype(np.float64)).sum(axis=1)


def _money_by_market(x: np.ndarray) -> np.ndarray:
    """(T,P,M) -> (T,M) float64 sums over products, added in a fixed order."""
    acc = x[:, 0, :].astype(np.float64)
    for p in range(1, x.shape[1]):
        acc += x[:, p, :]
    return acc


def _allocate(need: np.ndarray, avail: np.ndarray) -> np.ndarray:
    """Split ``avail`` (T,P) over markets in proportion to ``need`` (T,P,M); never more than either."""
    tot = _count(_by_product(need))
    short = avail < tot
    if not short.any():
        return need.copy()
    frac = np.divide(np.minimum(avail, tot), tot, out=np.zeros(tot.shape, F32), where=tot > 0).astype(F32)
    alloc = np.floor(need * frac[:, :, None] + F32(1e-6)).astype(np.int32)
    return np.where(short[:, :, None], np.minimum(alloc, need), need)


def _div(a: np.ndarray, b: np.ndarray, empty: float) -> np.ndarray:
    return np.divide(a, b, out=np.full(np.shape(b), empty, dtype=np.result_type(a, b, F32)), where=b > 0)


def _mean_where(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per-team mean of x over mask cells; NaN where a team has no such cell."""
    n = _sum(mask)
    return np.divide(_sum(x * mask), n, out=np.full(n.shape, np.nan), where=n > 0)


def _advance_sea(pipe: tuple[np.ndarray, ...], delay: np.ndarray) -> tuple[np.ndarray, ...]:
    """Hold in-flight sea freight of delayed markets ``delay`` rounds longer (overflow stays in the last
    slot)."""
    if not delay.any():
        return pipe
    S = len(pipe)
    out = list(pipe)
    for m in np.nonzero(delay)[0]:
        k = int(min(delay[m], S - 1))
        col = [a[:, :, m].copy() for a in pipe]
        new = [np.zeros_like(col[0]) for _ in range(S)]
        for j in range(S):
            new[min(j + k, S - 1)] += col[j]
        for j in range(S):
            out[j] = out[j].copy() if out[j] is pipe[j] else out[j]
            out[j][:, :, m] = new[j]
    return tuple(out)


CHUNK_TEAMS = 1024  # teams per slice: bounds the size of temporaries for very large classes


def _slice(obj, a: int, b: int):
    """A team slice [a:b] of a State, Services or Decisions (views, no copies)."""
    changes = {}
    for f in dataclasses.fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, np.ndarray):
            changes[f.name] = v[a:b]
        elif isinstance(v, tuple) and v and isinstance(v[0], np.ndarray):
            changes[f.name] = tuple(x[a:b] for x in v)
        elif dataclasses.is_dataclass(v) and f.name == "services":
            changes[f.name] = _slice(v, a, b)
    return dataclasses.replace(obj, **changes)


def _merge(parts: list):
    """Join per-slice outputs along the team axis (arrays, tuples of arrays and dicts of arrays)."""
    first = parts[0]
    if len(parts) == 1:
        return first
    if isinstance(first, np.ndarray):
        return np.concatenate(parts, axis=0)
    if isinstance(first, tuple) and first and isinstance(first[0], np.ndarray):
        return tuple(np.concatenate(xs, axis=0) for xs in zip(*parts, strict=True))
    if isinstance(first, dict):
        return {k: _merge([p[k] for p in parts]) for k in first}
    return first


def step(state: State, dec: Decisions) -> tuple[State, RoundResult]:
    """Play one round for all teams; returns the new state and the round's results (input unchanged)."""
    s = state.scenario
    r = state.round
    if r >= s.rounds:
        raise ValueError(f"game over: scenario {s.name} has {s.rounds} rounds")
    T, P, M = state.overseas.shape
    rng = np.random.Generator(np.random.PCG64())
    rng.bit_generator.state = state.rng_state
    env = apply_events(state, rng.random(sum(1 for e in s.events if e.round is None)))
    u = rng.random((5, T, P, M), dtype=F32)
    sea_pipe = _advance_sea(state.sea_pipe, env.sea_delay_rounds)
    state = dataclasses.replace(state, sea_pipe=sea_pipe)
    C = CHUNK_TEAMS
    outs = [_play(_slice(state, a, a + C), _slice(dec, a, a + C), u[:, a : a + C], env) for a in range(0, T, C)]
    upd = {k: _merge([o[0][k] for o in outs]) for k in outs[0][0]}
    res = {k: _merge([o[1][k] for o in outs]) for k in outs[0][1]}
    new_state = dataclasses.replace(state, round=r + 1, rng_state=rng.bit_generator.state, env=env, **upd)
    return new_state, RoundResult(round=r, date=s.fx_dates[r], events=env.log, **res)


def _play(state: State, dec: Decisions, u: np.ndarray, env) -> tuple[dict, dict]:
    """The round's rules for a slice of teams, after the random numbers and events are drawn."""
    s, d, sv = state.scenario, state.derived, state.services
    r = state.round
    T, P, M = state.overseas.shape
    fx64 = s.fx[r] * env.fx_factor  # (M,) CNY per local unit
    fx = fx64.astype(F32)
    ship_factor = sv.ship_cost_factor.astype(F32)[:, None, None]
    shift = sv.ontime_shift_days.astype(F32)[:, None, None]

    # arrivals: supplier -> home, sea freight -> overseas warehouse, payouts -> cash
    sea_pipe = state.sea_pipe
    home = state.home + state.supply_pipe[:, :, 0]
    overseas = state.overseas + sea_pipe[0]
    supply_pipe = np.concatenate([state.supply_pipe[:, :, 1:], np.zeros((T, P, 1), np.int32)], axis=2)
    sea_pipe = sea_pipe[1:] + (np.zeros((T, P, M), np.int32),)
    due = state.pay_pipe[:, :, 0]
    pay_pipe = np.concatenate([state.pay_pipe[:, :, 1:], np.zeros((T, M, 1))], axis=2)
    keep = (1.0 - sv.payment_fee - sv.fx_spread)[:, None]
    due_cny = due * fx64[None, :]
    payout_cny = np.where(due > 0, due_cny * keep, due_cny).sum(axis=1)

    # listings: content and images move to their targets; raising them costs translation / photo work
    content = np.clip(np.asarray(dec.content, F32), 0, 1)
    images = np.clip(np.asarray(dec.images, F32), 0, 1)
    listing_cost = s.translation_cost * _sum(np.maximum(content - state.content, 0)) + s.image_cost * _sum(
        np.maximum(images - state.images, 0)
    )
    price = np.maximum(np.asarray(dec.price_local, F32), 0)
    listed = price > 0
    ad = np.maximum(np.asarray(dec.ad_spend, F32), 0) * listed

    # demand
    rel = _div(price, np.broadcast_to(d.ref_local, price.shape), 1.0)
    np.maximum(rel, F32(1e-3), out=rel)
    elastic = d.elasticity[None, None, :] * sv.buyer_price_sensitivity.astype(F32)[:, None, None]
    quality = F32(0.45) * content + F32(0.2) * images + F32(0.35 / 4.0) * (state.rating - F32(1.0))
    lam = np.exp(F32(1.2) * (quality - F32(0.5)) - elastic * np.log(rel))
    lam *= (d.demand * d.season[r])[None]
    lam *= F32(1.0) + d.ad_eff * np.log1p(ad * F32(1 / 50.0))
    gate = np.where(content < d.min_content, F32(0.2), F32(1.0)) * listed
    gate *= np.where(state.penalty > 0, d.pen_factor[None, :], F32(1.0))[:, None, :]
    lam *= gate
    np.minimum(lam, F32(1e5), out=lam)
    orders = poisson(u[0], lam)

    # fulfilment: overseas warehouse first, then direct parcels from home
    from_ovs = np.minimum(orders, overseas)
    overseas = overseas - from_ovs
    need = orders - from_ovs
    from_home = _allocate(need, home)
    home = home - _count(_by_product(from_home))
    shipped = from_ovs + from_home
    express = np.asarray(dec.express, bool)
    days = np.where(express, d.express_days, d.postal_days + env.postal_delay_days.astype(F32)) + shift
    p_dir = F32(1.0) / (F32(1.0) + np.exp((d.promise - days) * F32(1 / 1.5)))
    p_loc = F32(1.0) / (F32(1.0) + np.exp((d.promise - F32(LOCAL_DAYS) - F32(0.3) * shift) * F32(1 / 1.5)))
    fh, fo, sh = from_home.astype(F32), from_ovs.astype(F32), shipped.astype(F32)
    late = binomial(u[1], from_home, p_dir) + binomial(u[4], from_ovs, p_loc)
    late_share = _div(late.astype(F32), sh, 0.0)

    # returns: more when content in the buyer's language is thin or parcels are late
    rr = np.minimum(d.return_rate[None, :, None] * (F32(1.3) - F32(0.6) * content) * (F32(1.0) + late_share), 1)
    returned = binomial(u[2], shipped, rr)
    ret_ovs = np.minimum(np.floor(returned.astype(F32) * _div(fo, sh, 0.0)).astype(np.int32), returned)
    ret_dir = returned - ret_ovs
    restocked = np.floor(ret_ovs.astype(F32) * F32(s.return_restock_local)).astype(np.int32) + np.floor(
        ret_dir.astype(F32) * F32(s.return_restock_direct)
    ).astype(np.int32)
    lost = returned - restocked
    overseas = overseas + restocked
    kept = shipped - returned

    # customer messages and after-sales
    msgs = (_by_market(orders) * s.message_rate + _by_market(returned)).astype(np.float64)  # (T,M)
    hours = np.maximum(np.asarray(dec.reply_hours, float), 0.0)
    reply_ok = np.minimum(1.0, _div(hours * s.replies_per_hour, msgs, 1.0))
    staff_cost = hours.sum(axis=1) * s.reply_wage

    # reviews and rating
    ret_share = _div(returned.astype(F32), sh, 0.0)
    score = (
        F32(4.7)
        - F32(2.5) * late_share
        - F32(2.0) * ret_share
        + F32(0.4) * (images - F32(0.5))
        + F32(0.3) * (content - F32(0.5))
        - (F32(1.5) * (1 - reply_ok)).astype(F32)[:, None, :]
    )
    kf = kept.astype(F32)
    new_rev = kf * d.review_rate
    score = np.clip(score + F32(0.4) * unit_noise(u[3]) / np.sqrt(F32(1.0) + new_rev), 1, 5)
    w_old = state.reviews + F32(PRIOR_REVIEWS)
    rating = (state.rating * w_old + score * new_rev) / (w_old + new_rev)
    reviews = state.reviews + new_rev

    # policy penalties: late share or unanswered messages above the platform's limit
    ship_m = _by_market(shipped)
    late_m = _div(_by_market(late), ship_m, 0.0)
    breach = (late_m > d.late_thr) | (reply_ok < 0.5)
    penalty = np.where(breach & (d.pen_rounds > 0), d.pen_rounds, np.maximum(state.penalty - 1, 0))

    # money on sales: VAT, duty above the de-minimis threshold, platform fees, payout pipeline
    net_price = price / (F32(1.0) + d.vat)
    dutiable = price > d.threshold
    fhd = fh * dutiable
    duty_cny = _sum(env.duty[None] * net_price * fhd * fx)
    parcel_decl = _count_total(fhd)
    fees_local = (env.commission * price + d.fixed_fee / fx) * sh
    payout_local = _money_by_market(net_price * kf - fees_local)  # (T,M)
    pay_pipe[:, np.arange(M), d.pay_idx] += payout_local
    ship_rate = np.where(express, F32(s.express_cost_kg), F32(s.postal_cost_kg)) * d.weight[:, None]
    freight_direct = _sum(ship_rate * fh * ship_factor)
    return_cost = _per_unit(_by_product(ret_dir), 0.5 * s.postal_cost_kg * d.weight)
    local_fulfil = _per_unit(_by_product(fo), LOCAL_FULFIL_FIXED + LOCAL_FULFIL_KG * d.weight)

    # sea freight from home to the overseas warehouses (duty on customs value at import)
    sea_units = _allocate(np.maximum(np.asarray(dec.ship_sea), 0).astype(np.int32), home)
    sea_tp = _count(_by_product(sea_units))
    home = home - sea_tp
    slot = np.minimum(d.sea_rounds - 1 + env.sea_delay_rounds, len(sea_pipe) - 1)
    sea_list = list(sea_pipe)
    for k in np.unique(slot):
        cols = slot == k
        sea_list[k] = sea_list[k].copy()
        sea_list[k][:, :, cols] += sea_units[:, :, cols]
    sea_pipe = tuple(sea_list)
    su = sea_units.astype(F32)
    lots = _count_total(sea_units > 0)
    freight_sea = _per_unit(sea_tp, s.sea_cost_kg * d.weight) * sv.ship_cost_factor
    duty_cny = duty_cny + _sum(env.duty[None] * d.unit_cost[:, None] * su)
    declarations = lots + PARCEL_CLEARANCE_SHARE * parcel_decl
    broker_cost = declarations * sv.broker_fee
    decl_errors = declarations * sv.declaration_error
    fines = decl_errors * sv.broker_fee * 2.0

    # purchases from the supplier, limited by the cash on hand
    ads = _sum(ad)
    subs = ((_by_market(listed).astype(np.float64) @ d.plat_of_market.T) > 0) @ d.subscription
    storage = (_by_market(overseas).astype(np.float64) * d.storage.astype(np.float64)).sum(axis=1)
    spent = (
        ads
        + subs
        + storage
        + staff_cost
        + listing_cost
        + freight_direct
        + freight_sea
        + duty_cny
        + broker_cost
        + fines
        + return_cost
        + local_fulfil
    )
    avail = state.cash + payout_cny - spent
    want = np.maximum(np.asarray(dec.reorder), 0).astype(np.int64)
    unit_cost64 = d.unit_cost.astype(np.float64)
    want_cost = (want * unit_cost64).sum(axis=1)
    scale = np.clip(np.divide(avail, want_cost, out=np.ones(T), where=want_cost > 0), 0.0, 1.0)
    bought = np.floor(want * scale[:, None]).astype(np.int64)
    purchase = (bought * unit_cost64).sum(axis=1)
    supply_pipe[:, :, supply_pipe.shape[2] - 1] += bought.astype(np.int32)
    cash_pre = avail - purchase
    interest = np.maximum(-cash_pre, 0.0) * s.overdraft_rate
    costs = dict(
        purchase=purchase,
        ads=ads,
        subscription=subs,
        storage=storage,
        staff=staff_cost,
        listing=listing_cost,
        freight_direct=freight_direct,
        freight_sea=freight_sea,
        duty=duty_cny,
        broker=broker_cost,
        customs_fines=fines,
        returns=return_cost,
        local_fulfilment=local_fulfil,
        interest=interest,
    )
    cash_in = np.maximum(payout_cny, 0.0)
    cash_out = spent + purchase + interest + np.maximum(-payout_cny, 0.0)
    cash = state.cash + cash_in - cash_out

    # KPIs (accrual view: this round's sales at this round's FX)
    revenue = _sum(net_price * kf * fx)
    gross = _sum(price * sh * fx)
    platform_fees = _sum(fees_local * fx)
    kept_p, lost_p = _count(_by_product(kept)), _count(_by_product(lost))
    cogs = ((kept_p + lost_p) * unit_cost64).sum(axis=1)
    fx_cost = revenue * (sv.payment_fee + sv.fx_spread)
    profit = (
        revenue
        - platform_fees
        - fx_cost
        - cogs
        - ads
        - subs
        - storage
        - staff_cost
        - listing_cost
        - freight_direct
        - freight_sea
        - duty_cny
        - broker_cost
        - fines
        - return_cost
        - local_fulfil
        - interest
    )
    inv_value = ((home + _count(_by_product(overseas))) * unit_cost64).sum(axis=1)
    sent = _count_total(shipped)
    n_orders = _count_total(orders)
    kpis = {
        "revenue": revenue,
        "profit": profit,
        "margin": _div(profit, revenue, 0.0),
        "on_time_rate": _div(sent - _count_total(late), sent, 1.0),
        "rating": np.nan_to_num(_mean_where(rating, listed), nan=PRIOR_RATING),
        "acos": _div(ads, gross, 0.0),
        "inventory_turns": _div(cogs * 365.0 / s.round_days, inv_value, 0.0),
        "cash": cash,
        "fill_rate": _div(sent, n_orders, 1.0),
        "reply_in_time": _div((reply_ok * msgs).sum(axis=1), msgs.sum(axis=1), 1.0),
        "lang_en": _mean_where(content, listed & d.is_en),
        "lang_x": _mean_where(content, listed & ~d.is_en),
    }
    kpis = {k: np.asarray(kpis[k], dtype=np.float64) for k in KPI_NAMES}
    upd = dict(
        cash=cash,
        home=home,
        overseas=overseas,
        supply_pipe=supply_pipe,
        sea_pipe=sea_pipe,
        pay_pipe=pay_pipe,
        content=content,
        images=images,
        rating=rating,
        reviews=reviews,
        penalty=penalty,
        units_bought=state.units_bought + bought,
        units_kept=state.units_kept + kept_p,
        units_lost=state.units_lost + lost_p,
    )
    res = dict(
        kpis=kpis,
        orders=orders,
        shipped=shipped,
        late=late,
        returned=returned,
        lost=lost,
        cash_in=cash_in,
        cash_out=cash_out,
        costs=costs,
        declarations=declarations,
        declaration_errors=decl_errors,
        payout_cny=payout_cny,
        price_index=np.divide(
            _sum(price * kf), _sum(d.ref_local * kf), out=np.full(T, np.nan), where=kept_p.sum(axis=1) > 0
        ),
    )
    return upd, res
