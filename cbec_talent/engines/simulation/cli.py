"""``cbec-talent simulate SCENARIO --teams N --seed S``: run a scenario headless, print KPIs (table or JSON)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence

import numpy as np

from .data import KPI_NAMES
from .runner import run_game
from .scenario import list_scenarios, load_scenario
from .scoring import score_team


def _mean(x: np.ndarray) -> float | None:
    """Team mean ignoring NaN (a KPI a team cannot have); None when no team has it."""
    ok = np.isfinite(x)
    return float(x[ok].mean()) if ok.any() else None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cbec-talent simulate", description=__doc__)
    p.add_argument("scenario", help=f"shipped name ({', '.join(list_scenarios())}) or a YAML path")
    p.add_argument("--teams", type=int, default=4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rounds", type=int, default=None, help="stop early after this many rounds")
    p.add_argument("--fx-history", default=None, help="full ECB eurofxref-hist.csv instead of the shipped extract")
    p.add_argument("--json", action="store_true", help="print one JSON document instead of tables")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        scenario = load_scenario(args.scenario, fx_history_path=args.fx_history)
        if args.teams < 1:
            raise ValueError("--teams must be at least 1")
        state, results, record = run_game(scenario, args.teams, args.seed, rounds=args.rounds)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    per_round = [
        {"round": r.round + 1, "date": r.date, "events": list(r.events), **{k: _mean(r.kpis[k]) for k in KPI_NAMES}}
        for r in results
    ]
    teams = []
    for t in range(args.teams):
        sc = score_team(results, t)
        teams.append(
            {
                "team": t,
                "revenue": float(sum(r.kpis["revenue"][t] for r in results)),
                "profit": float(sum(r.kpis["profit"][t] for r in results)),
                "cash": float(state.cash[t]),
                "scores": sc.as_dict(),
            }
        )
    if args.json:
        doc = {"run": dataclasses.asdict(record), "rounds": per_round, "teams": teams}
        print(json.dumps(doc, ensure_ascii=False, indent=1, default=float))
        return 0
    print(
        f"{scenario.title}  seed={record.seed} teams={record.teams} rounds={len(results)} "
        f"products={record.products} markets={record.markets}"
    )
    cols = ("revenue", "profit", "margin", "on_time_rate", "rating", "acos", "cash", "fill_rate")
    print(f"{'rnd':>3} {'date':10} " + " ".join(f"{c:>12}" for c in cols) + "  events (team mean)")
    for row in per_round:
        cells = " ".join(f"{row[c]:>12.3f}" if row[c] is not None else f"{'-':>12}" for c in cols)
        print(f"{row['round']:>3} {row['date']:10} {cells}  " + ",".join(row["events"]))
    codes = sorted({c for t in teams for c in t["scores"]})
    print(f"{'team':>4} {'revenue':>12} {'profit':>12} {'cash':>12} " + " ".join(f"{c:>13}" for c in codes))
    for t in teams:
        print(
            f"{t['team']:>4} {t['revenue']:>12.0f} {t['profit']:>12.0f} {t['cash']:>12.0f} "
            + " ".join(f"{t['scores'].get(c, float('nan')):>13.1f}" for c in codes)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
