"""The bridge to the simulation engine: the decision form's fields <-> engine arrays, and replaying a session.

A session's game state is rebuilt from its seed and the stored decisions on every use. The engine is
deterministic (one PCG64 stream, fixed draw order), so a replay reproduces every round bit for bit; teams that
did not submit a round get the engine's bot policy (``default_decisions``) for that round.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from cbec_talent.engines.simulation import (
    Decisions,
    RoleDecisions,
    RoundResult,
    Scenario,
    State,
    default_decisions,
    list_scenarios,
    load_scenario,
    new_game,
    override,
    step,
    step_with_roles,
)

from . import roles as pr

CHANNELS = ("postal", "express")


@lru_cache(maxsize=8)
def scenario(name: str) -> Scenario:
    """A shipped scenario (parsed once per process)."""
    if name not in list_scenarios():
        raise ValueError(f"unknown scenario {name!r}")
    return load_scenario(name)


def scenario_choices() -> list[tuple[str, str]]:
    return [(n, f"{scenario(n).title} ({scenario(n).rounds})") for n in list_scenarios()]


def _split(total: float, weights: np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return total * w / w.sum() if w.sum() > 0 else np.full(w.shape, total / len(w))


def _split_units(units: int, markets: int) -> np.ndarray:
    out = np.full(markets, units // markets, dtype=np.int64)
    out[: units % markets] += 1
    return out


def to_arrays(state: State, fields: dict) -> dict[str, np.ndarray]:
    """One team's form fields -> engine decision slices (for ``override``).

    Per product: price as a multiple of the market reference price (0 = not listed), ad budget (CNY, spread
    over the markets where listed), reorder units, units sent by sea (split over the markets). Per team: the
    direct-parcel channel, listing content in English and in the other buyer languages, image quality, and
    customer-service hours (split over markets by their expected demand).
    """
    s, d = state.scenario, state.derived
    P, M = s.shape
    is_en = np.array([m.language == "en" for m in s.markets])
    price = np.asarray(fields["price"], float)[:, None] * d.ref_local.astype(float)
    listed = price > 0
    n_listed = np.maximum(listed.sum(axis=1, keepdims=True), 1)
    ads = np.asarray(fields["ads"], float)[:, None] * listed / n_listed
    sea = np.stack([_split_units(int(u), M) for u in fields["sea"]])
    content = np.where(is_en[None, :], float(fields["lang_en"]), float(fields["lang_x"])) * np.ones((P, M))
    return {
        "price_local": price,
        "ad_spend": ads,
        "reorder": np.asarray(fields["reorder"], np.int64),
        "ship_sea": sea,
        "express": np.full((P, M), fields["channel"] == "express"),
        "content": content,
        "images": np.full((P, M), float(fields["images"])),
        "reply_hours": _split(float(fields["reply_hours"]), d.demand.sum(axis=0)),
    }


def to_fields(state: State, dec: Decisions, team: int) -> dict:
    """Engine decisions of one team -> initial form values (the bot's suggestion shown to students)."""
    d = state.derived
    is_en = np.array([m.language == "en" for m in state.scenario.markets])
    ref = d.ref_local.astype(float)
    mult = np.divide(dec.price_local[team], ref, out=np.zeros(ref.shape), where=ref > 0).mean(axis=1)
    content = np.asarray(dec.content[team], float)
    return {
        "price": [round(float(x), 2) for x in mult],
        "ads": [round(float(x)) for x in dec.ad_spend[team].sum(axis=1)],
        "reorder": [int(x) for x in dec.reorder[team]],
        "sea": [int(x) for x in dec.ship_sea[team].sum(axis=1)],
        "channel": "express" if bool(np.asarray(dec.express[team]).mean() >= 0.5) else "postal",
        "lang_en": round(float(content[:, is_en].mean()), 2) if is_en.any() else 0.0,
        "lang_x": round(float(content[:, ~is_en].mean()), 2) if (~is_en).any() else 0.0,
        "images": round(float(np.asarray(dec.images[team]).mean()), 2),
        "reply_hours": round(float(np.asarray(dec.reply_hours[team]).sum()), 1),
    }


def round_decisions(state: State, submitted: dict[int, dict]) -> Decisions:
    """The bot's decisions for every team, overridden by the teams that submitted (team index -> fields)."""
    dec = default_decisions(state)
    for team, fields in sorted(submitted.items()):
        dec = override(dec, team, **to_arrays(state, fields))
    return dec


@dataclass(frozen=True)
class Replay:
    state: State  # after the last round replayed
    results: list[RoundResult]
    roles: list[RoleDecisions] = field(default_factory=list)  # multi-role sessions: each round's terms


def replay(
    name: str,
    seed: int,
    teams: int,
    rounds: int,
    submitted: dict[int, dict[int, dict]],
    role_terms: dict[int, dict[int, dict[str, dict]]] | None = None,
) -> Replay:
    """Play ``rounds`` rounds from the seed; ``submitted[round][team]`` holds the form fields of the teams that
    submitted that round. ``role_terms`` is None for a plain session; for a multi-role session
    ``role_terms[round][team][role]`` holds the terms a student set, and every round is played with
    ``step_with_roles`` (the model plays the roles nobody submitted)."""
    game = scenario(name)
    state = new_game(game, teams, seed)
    results, roles = [], []
    for r in range(rounds):
        dec = round_decisions(state, submitted.get(r, {}))
        if role_terms is None:
            state, res = step(state, dec)
        else:
            terms = pr.round_roles(game, teams, role_terms.get(r, {}))
            state, res = step_with_roles(state, dec, terms)
            roles.append(terms)
        results.append(res)
    return Replay(state=state, results=results, roles=roles)


def clean_number(x: float) -> float | None:
    """A KPI value for JSON: NaN (a KPI a team cannot have) becomes None."""
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def team_kpis(result: RoundResult, team: int) -> dict[str, float | None]:
    return {k: clean_number(v[team]) for k, v in result.kpis.items()}
