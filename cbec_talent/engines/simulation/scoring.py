"""Scores 0-100 against the framework's competency codes, each with a one-line explanation of its figures."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .data import RoundResult, TeamScore, keyed_score


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
        keyed_score(
            "OPS.PLATFORM",
            _pct(0.6 * fill + 0.4 * rating_n),
            "fill rate %(fill)s, final rating %(rating)s/5 (60/40)",
            fill=f"{fill:.1%}",
            rating=f"{rating:.2f}",
        ),
        keyed_score(
            "OPS.LOGISTICS",
            _pct(0.7 * ontime + 0.3 * fill),
            "on-time rate %(ontime)s, fill rate %(fill)s (70/30)",
            ontime=f"{ontime:.1%}",
            fill=f"{fill:.1%}",
        ),
        keyed_score(
            "OPS.SERVICE",
            _pct(0.6 * reply + 0.4 * rating_n),
            "messages answered in time %(reply)s, final rating %(rating)s/5 (60/40)",
            reply=f"{reply:.1%}",
            rating=f"{rating:.2f}",
        ),
        keyed_score(
            "MKT.ONLINE",
            _pct(1.0 - gross_acos / 0.3) if ads > 0 or revenue > 0 else 0.0,
            "mean ad cost of sales %(acos)s (100 at 0%%, 0 at 30%% or more); ads %(ads)s CNY",
            acos=f"{gross_acos:.1%}",
            ads=f"{ads:,.0f}",
        ),
    ]
    for code, kpi, key in (
        ("LANG.EN", "lang_en", "mean English listing content level %(level)s of 1"),
        ("LANG.X", "lang_x", "mean second-language listing content level %(level)s of 1"),
    ):
        series = _series(results, kpi, team)
        if np.isnan(series).all():
            continue
        val = float(np.nanmean(series))
        scores.append(keyed_score(code, _pct(val), key, level=f"{val:.2f}"))
    neg = float((cash < 0).mean())
    scores += [
        keyed_score(
            "TRADE.PAY",
            _pct(0.7 * (1.0 - neg) + 0.3 * (1.0 - interest / max(revenue, 1.0) * 20)),
            "rounds with negative cash %(neg)s, overdraft interest %(interest)s CNY",
            neg=f"{neg:.0%}",
            interest=f"{interest:,.0f}",
        ),
        keyed_score(
            "DATA.ANALYSIS",
            _pct((margin + 0.2) / 0.5),
            "margin after fees, duties and FX %(margin)s on revenue %(revenue)s CNY (0 at -20%%, 100 at +30%%)",
            margin=f"{margin:.1%}",
            revenue=f"{revenue:,.0f}",
        ),
    ]
    return TeamScore(team=team, role="seller", scores=tuple(scores))
