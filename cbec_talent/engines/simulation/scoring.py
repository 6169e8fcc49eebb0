"""Scores 0-100 against the framework's competency codes, each with a one-line explanation of its figures."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .data import CompetencyScore, RoundResult, TeamScore


def _series(results: Sequence[RoundResult], kpi: str, team: int) -> np.ndarray:
    return np.array([r.kpis[kpi][team] for r in results], dtype=float)


def _pct(x: float) -> float:
    return float(round(100.0 * min(max(x, 0.0), 1.0), 1))


def score_team(results: Sequence[RoundResult], team: int = 0) -> TeamScore:
    """Score a seller team over the rounds played (order-weighted where a KPI is a rate).

    OPS.PLATFORM fill rate and rating; OPS.LOGISTICS on-time rate and stock-outs; OPS.SERVICE messages answered
    in time and rating; MKT.ONLINE advertising cost of sales; LANG.EN / LANG.X listing content in the buyers'
    language (LANG.X only when the scenario has a non-English market); TRADE.PAY cash kept positive and
    payment/FX cost; DATA.ANALYSIS margin after fees, duties and FX.
    """
    if not results:
        raise ValueError("no rounds played")
    orders = np.array([r.orders[team].sum() for r in results], dtype=float)
    w = orders / orders.sum() if orders.sum() > 0 else np.full(len(results), 1.0 / len(results))
    fill = float((_series(results, "fill_rate", team) * w).sum())
    ontime = float((_series(results, "on_time_rate", team) * w).sum())
    reply = float((_series(results, "reply_in_time", team) * w).sum())
    rating = float(_series(results, "rating", team)[-1])
    rating_n = (rating - 1.0) / 4.0
    revenue = float(_series(results, "revenue", team).sum())
    profit = float(_series(results, "profit", team).sum())
    ads = float(sum(r.costs["ads"][team] for r in results))
    gross_acos = float(np.nanmean(_series(results, "acos", team)))
    cash = _series(results, "cash", team)
    interest = float(sum(r.costs["interest"][team] for r in results))
    margin = profit / revenue if revenue > 0 else -1.0
    scores = [
        CompetencyScore(
            "OPS.PLATFORM",
            _pct(0.6 * fill + 0.4 * rating_n),
            f"fill rate {fill:.1%}, final rating {rating:.2f}/5 (60/40)",
        ),
        CompetencyScore(
            "OPS.LOGISTICS", _pct(0.7 * ontime + 0.3 * fill), f"on-time rate {ontime:.1%}, fill rate {fill:.1%} (70/30)"
        ),
        CompetencyScore(
            "OPS.SERVICE",
            _pct(0.6 * reply + 0.4 * rating_n),
            f"messages answered in time {reply:.1%}, final rating {rating:.2f}/5 (60/40)",
        ),
        CompetencyScore(
            "MKT.ONLINE",
            _pct(1.0 - gross_acos / 0.3) if ads > 0 or revenue > 0 else 0.0,
            f"mean ad cost of sales {gross_acos:.1%} (100 at 0%, 0 at 30% or more); ads {ads:,.0f} CNY",
        ),
    ]
    for code, kpi, label in (("LANG.EN", "lang_en", "English"), ("LANG.X", "lang_x", "second-language")):
        series = _series(results, kpi, team)
        if np.isnan(series).all():
            continue
        val = float(np.nanmean(series))
        scores.append(CompetencyScore(code, _pct(val), f"mean {label} listing content level {val:.2f} of 1"))
    neg = float((cash < 0).mean())
    scores += [
        CompetencyScore(
            "TRADE.PAY",
            _pct(0.7 * (1.0 - neg) + 0.3 * (1.0 - interest / max(revenue, 1.0) * 20)),
            f"rounds with negative cash {neg:.0%}, overdraft interest {interest:,.0f} CNY",
        ),
        CompetencyScore(
            "DATA.ANALYSIS",
            _pct((margin + 0.2) / 0.5),
            f"margin after fees, duties and FX {margin:.1%} on revenue {revenue:,.0f} CNY (0 at -20%, 100 at +30%)",
        ),
    ]
    return TeamScore(team=team, role="seller", scores=tuple(scores))
