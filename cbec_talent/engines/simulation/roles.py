"""Multi-role transaction mode: seller, buyer, logistics provider, customs broker and payment provider.

Each group (index along T) is one seller team trading with one buyer, logistics provider, customs broker and
payment provider. Students may take any role in any group; the model plays the rest with the scenario's
terms. The service roles set terms (``RoleDecisions``) that become the seller's ``Services``; each role earns
from the seller's activity and is scored against its competency codes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from .data import Decisions, RoleDecisions, RoundResult, Scenario, Services, State, TeamScore, keyed_score
from .engine import step
from .scoring import score_team

LOGISTICS_COST_SHARE = 0.8  # the carrier's own cost at the scenario tariff
LOGISTICS_EFFORT_COST = 0.15  # extra cost share at full reliability effort
BROKER_BASE_COST = 60.0  # CNY per declaration
BROKER_EFFORT_COST = 100.0
PAYMENT_COST_SHARE = 0.006  # processing and FX hedging cost per CNY paid out


def model_role_decisions(scenario: Scenario, teams: int) -> RoleDecisions:
    """The terms the model offers when nobody plays a role (equal to the scenario's defaults)."""
    one = np.ones(teams)
    return RoleDecisions(
        logistics_price=one.copy(),
        logistics_effort=one * 0.5,
        broker_fee=one * scenario.broker_fee,
        broker_accuracy=one * 0.85,
        payment_fee=one * scenario.payment_fee,
        payment_spread=one * scenario.fx_spread,
        buyer_sensitivity=one.copy(),
    )


def merge_roles(model: RoleDecisions, played: Mapping[str, Mapping[int, float]]) -> RoleDecisions:
    """Overlay students' choices: ``played[field][group] = value`` for fields of RoleDecisions."""
    changed = {}
    for name, by_group in played.items():
        arr = np.array(getattr(model, name), dtype=float, copy=True)
        for g, v in by_group.items():
            arr[g] = v
        changed[name] = arr
    return dataclasses.replace(model, **changed)


def services_from_roles(roles: RoleDecisions) -> Services:
    """Turn the service roles' terms into what each seller faces (values clipped to sane ranges)."""
    effort = np.clip(roles.logistics_effort, 0.0, 1.0)
    accuracy = np.clip(roles.broker_accuracy, 0.0, 1.0)
    return Services(
        ship_cost_factor=np.clip(roles.logistics_price, 0.5, 2.0),
        ontime_shift_days=4.0 * (0.5 - effort),
        broker_fee=np.maximum(roles.broker_fee, 0.0),
        declaration_error=0.005 + 0.1 * (1.0 - accuracy),
        payment_fee=np.clip(roles.payment_fee, 0.0, 0.1),
        fx_spread=np.clip(roles.payment_spread, 0.0, 0.1),
        buyer_price_sensitivity=np.clip(roles.buyer_sensitivity, 0.5, 2.0),
    )


def step_with_roles(state: State, decisions: Decisions, roles: RoleDecisions) -> tuple[State, RoundResult]:
    """One transaction round: the service roles' terms apply to the sellers, then the engine steps."""
    return step(dataclasses.replace(state, services=services_from_roles(roles)), decisions)


def role_ledgers(results: Sequence[RoundResult], roles: RoleDecisions) -> dict[str, np.ndarray]:
    """Revenue and profit (CNY, per group) of each service role over the rounds."""
    sv = services_from_roles(roles)
    freight = sum(r.costs["freight_direct"] + r.costs["freight_sea"] for r in results)
    base = freight / sv.ship_cost_factor
    log_cost = base * (LOGISTICS_COST_SHARE + LOGISTICS_EFFORT_COST * np.clip(roles.logistics_effort, 0, 1))
    decl = sum(r.declarations for r in results)
    broker_rev = sum(r.costs["broker"] for r in results)
    broker_cost = decl * (BROKER_BASE_COST + BROKER_EFFORT_COST * np.clip(roles.broker_accuracy, 0, 1))
    take = sv.payment_fee + sv.fx_spread
    paid = sum(np.maximum(r.payout_cny, 0.0) for r in results)
    volume = paid / np.maximum(1.0 - take, 1e-9)
    return {
        "logistics_revenue": freight,
        "logistics_profit": freight - log_cost,
        "broker_revenue": broker_rev,
        "broker_profit": broker_rev - broker_cost,
        "payment_revenue": volume * take,
        "payment_profit": volume * (take - PAYMENT_COST_SHARE),
        "payment_volume": volume,
    }


def _margin_pct(profit: float, revenue: float, lo: float = -0.1, hi: float = 0.3) -> float:
    m = profit / revenue if revenue > 0 else lo
    return float(np.clip((m - lo) / (hi - lo), 0.0, 1.0))


def score_roles(results: Sequence[RoundResult], roles: RoleDecisions, group: int) -> list[TeamScore]:
    """Scores of all five roles of one group, each against its competency codes."""
    led = role_ledgers(results, roles)
    sv = services_from_roles(roles)
    seller = score_team(results, group)
    g = group
    shipped = sum(float(r.shipped[g].sum()) for r in results)
    late = sum(float(r.late[g].sum()) for r in results)
    ontime = 1.0 - late / shipped if shipped else 1.0
    lm = _margin_pct(led["logistics_profit"][g], led["logistics_revenue"][g])
    err = float(sv.declaration_error[g])
    bm = _margin_pct(led["broker_profit"][g], led["broker_revenue"][g])
    take = float(sv.payment_fee[g] + sv.fx_spread[g])
    pm = _margin_pct(led["payment_profit"][g], led["payment_revenue"][g])
    price_idx = [float(r.price_index[g]) for r in results if np.isfinite(r.price_index[g])]
    pi = float(np.mean(price_idx)) if price_idx else 1.0
    bought = sum(float((r.shipped[g] - r.returned[g]).sum()) for r in results)

    def one(role: str, code: str, value: float, key: str, **params) -> TeamScore:
        return TeamScore(team=g, role=role, scores=(keyed_score(code, round(100 * value, 1), key, **params),))

    return [
        seller,
        one(
            "logistics",
            "OPS.LOGISTICS",
            0.6 * ontime + 0.4 * lm,
            "seller's on-time rate %(ontime)s (60%%), carrier margin score %(margin)s (40%%)",
            ontime=f"{ontime:.1%}",
            margin=f"{lm:.2f}",
        ),
        one(
            "customs_broker",
            "TRADE.CUSTOMS",
            0.6 * float(np.clip(1 - err / 0.1, 0, 1)) + 0.4 * bm,
            "declaration error rate %(err)s (60%%, 0 at 10%%), broker margin score %(margin)s (40%%)",
            err=f"{err:.1%}",
            margin=f"{bm:.2f}",
        ),
        one(
            "payment",
            "TRADE.PAY",
            0.5 * float(np.clip(1 - take / 0.06, 0, 1)) + 0.5 * pm,
            "fee plus FX spread %(take)s (50%%, 0 at 6%%), provider margin score %(margin)s (50%%)",
            take=f"{take:.2%}",
            margin=f"{pm:.2f}",
        ),
        one(
            "buyer",
            "MKT.RESEARCH",
            float(np.clip((1.25 - pi) / 0.5, 0, 1)) if bought else 0.0,
            "paid %(index)s x the market reference price on %(units)s units kept (100 at 0.75, 0 at 1.25)",
            index=f"{pi:.2f}",
            units=f"{bought:.0f}",
        ),
    ]
