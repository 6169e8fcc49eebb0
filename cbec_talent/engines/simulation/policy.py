"""Decisions for teams nobody plays: a blank (do-nothing) set and a simple, vectorised bot policy."""

from __future__ import annotations

import dataclasses

import numpy as np

from .data import Decisions, State


def blank_decisions(state: State) -> Decisions:
    """Nothing listed, nothing bought: the store stands still (useful as a starting point for a player)."""
    T, P, M = state.overseas.shape
    z = np.zeros((T, P, M))
    return Decisions(
        price_local=z.copy(),
        ad_spend=z.copy(),
        reorder=np.zeros((T, P), np.int64),
        ship_sea=np.zeros((T, P, M), np.int64),
        express=np.zeros((T, P, M), bool),
        content=state.content.copy(),
        images=state.images.copy(),
        reply_hours=np.zeros((T, M)),
    )


def default_decisions(
    state: State,
    sea_share: float = 0.5,
    markup: float = 1.0,
    ad_per_listing: float = 20.0,
    content: float = 0.8,
    images: float = 0.7,
) -> Decisions:
    """The model's own play: list everything at the market's reference price (times ``markup``), keep stock
    for the supplier lead time plus two rounds, send ``sea_share`` of expected demand to overseas warehouses,
    answer expected messages with 20% spare capacity. Deterministic (uses no random numbers)."""
    s, d = state.scenario, state.derived
    T, P, M = state.overseas.shape
    r = min(state.round, s.rounds - 1)
    horizon = min(r + max(s.supply_lead, 1) + 2, s.rounds)
    season = d.season[r:horizon].mean(axis=0)
    base = d.demand * season  # (P,M) expected orders per round at reference price
    price = np.broadcast_to(d.ref_local * markup, (T, P, M)).copy()
    direct_need = base.sum(axis=1) * (1.0 - sea_share)
    sea_need = base * sea_share
    home_target = (direct_need + sea_need.sum(axis=1)) * (max(s.supply_lead, 1) + 2)
    position = state.home + state.supply_pipe.sum(axis=2)
    reorder = np.maximum(np.ceil(home_target - position), 0).astype(np.int32)
    ovs_target = sea_need * (d.sea_rounds + 2)
    ovs_position = state.overseas + sum(state.sea_pipe)
    ship_sea = np.maximum(np.ceil(ovs_target - ovs_position), 0).astype(np.int32)
    msgs = base.sum(axis=0) * (s.message_rate + 0.1)
    reply = np.broadcast_to(np.ceil(1.2 * msgs / s.replies_per_hour), (T, M)).copy()
    promise_late = d.postal_days > d.promise - 3.0
    express = np.broadcast_to(promise_late, (T, P, M)).copy()
    return Decisions(
        price_local=price,
        ad_spend=np.full((T, P, M), ad_per_listing),
        reorder=reorder,
        ship_sea=ship_sea,
        express=express,
        content=np.maximum(state.content, content),
        images=np.maximum(state.images, images),
        reply_hours=reply,
    )


def override(base: Decisions, team: int, **fields: np.ndarray) -> Decisions:
    """Replace one team's slice of some decision arrays (a player's choices over the bot's)."""
    changed = {}
    for name, value in fields.items():
        arr = np.array(getattr(base, name), copy=True)
        arr[team] = value
        changed[name] = arr
    return dataclasses.replace(base, **changed)
