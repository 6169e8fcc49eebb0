"""Scenarios as data: YAML files in ``scenarios/`` (or any path) turned into a ``Scenario``."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .data import EventSpec, Market, Platform, Product, Scenario
from .reference import eu_vat_rates, fx_window, hs_headings, load_fx_history

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
EVENT_KINDS = ("fx_shock", "port_delay", "platform_rule_change", "tariff_change")

# Teaching presets resembling each platform's published fee model; a scenario may override any field.
PLATFORM_PRESETS: dict[str, dict[str, Any]] = {
    "amazon": dict(
        commission=0.15,
        fixed_fee=2.0,
        subscription=280.0,
        ad_efficiency=0.35,
        review_rate=0.03,
        min_content=0.5,
        late_threshold=0.04,
        penalty_factor=0.4,
        penalty_rounds=3,
        payout_delay=2,
        traffic=1.0,
    ),
    "aliexpress": dict(
        commission=0.08,
        fixed_fee=0.0,
        subscription=0.0,
        ad_efficiency=0.25,
        review_rate=0.08,
        min_content=0.2,
        late_threshold=0.10,
        penalty_factor=0.6,
        penalty_rounds=2,
        payout_delay=3,
        traffic=0.8,
    ),
    "ebay": dict(
        commission=0.13,
        fixed_fee=2.2,
        subscription=50.0,
        ad_efficiency=0.2,
        review_rate=0.1,
        min_content=0.3,
        late_threshold=0.07,
        penalty_factor=0.6,
        penalty_rounds=2,
        payout_delay=1,
        traffic=0.7,
    ),
    "shopee": dict(
        commission=0.10,
        fixed_fee=0.5,
        subscription=0.0,
        ad_efficiency=0.3,
        review_rate=0.12,
        min_content=0.2,
        late_threshold=0.08,
        penalty_factor=0.5,
        penalty_rounds=2,
        payout_delay=2,
        traffic=0.9,
    ),
    "own_store": dict(
        commission=0.0,
        fixed_fee=0.0,
        subscription=200.0,
        ad_efficiency=0.6,
        review_rate=0.02,
        min_content=0.0,
        late_threshold=1.0,
        penalty_factor=1.0,
        penalty_rounds=0,
        payout_delay=1,
        traffic=0.25,
    ),
}


def list_scenarios() -> list[str]:
    """Names of the shipped scenarios."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def load_scenario(name_or_path: str | Path, fx_history_path: str | Path | None = None) -> Scenario:
    """Load a shipped scenario by name or a YAML file by path.

    FX comes from the shipped ECB extract unless ``fx_history_path`` names a full ``eurofxref-hist.csv``.
    Raises ValueError naming the field when the file is malformed.
    """
    p = Path(name_or_path)
    if not p.suffix:
        p = SCENARIO_DIR / f"{name_or_path}.yaml"
    if not p.is_file():
        raise ValueError(f"scenario {name_or_path!r} not found (shipped: {', '.join(list_scenarios())})")
    raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{p}: top level must be a mapping")
    return scenario_from_dict(raw, source=str(p), fx_history_path=fx_history_path)


def _req(d: dict[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise ValueError(f"{where}: missing field {key!r}")
    return d[key]


def scenario_from_dict(
    raw: dict[str, Any], source: str = "<dict>", fx_history_path: str | Path | None = None
) -> Scenario:
    """Build a Scenario from parsed YAML (see the shipped files for the fields)."""
    platforms_raw = raw.get("platforms", {}) or {}
    markets: list[Market] = []
    used_platforms: dict[str, Platform] = {}
    vat_eu = eu_vat_rates()
    for i, m in enumerate(_req(raw, "markets", source)):
        where = f"{source}: markets[{i}]"
        plat = str(_req(m, "platform", where))
        if plat not in used_platforms:
            base = dict(PLATFORM_PRESETS.get(plat, {}))
            base.update(platforms_raw.get(plat, {}) or {})
            missing = [f.name for f in dataclasses.fields(Platform) if f.name != "name" and f.name not in base]
            if missing:
                raise ValueError(f"{where}: platform {plat!r} has no preset and lacks {missing}")
            used_platforms[plat] = Platform(name=plat, **base)
        country = str(_req(m, "country", where))
        if "vat" in m:
            vat = float(m["vat"])
        elif country in vat_eu:
            vat = vat_eu[country]
        else:
            raise ValueError(f"{where}: field 'vat' needed for non-EU country {country}")
        duty = dict(m.get("duty", {}) or {})
        markets.append(
            Market(
                code=str(m.get("code", f"{country}-{plat}")),
                country=country,
                currency=str(_req(m, "currency", where)),
                language=str(_req(m, "language", where)),
                platform=plat,
                vat_rate=vat,
                duty_threshold_local=float(m.get("duty_threshold", 0.0)),
                default_duty=float(duty.pop("default", 0.0)),
                duty_by_heading={str(k): float(v) for k, v in duty.items()},
                demand=float(m.get("demand", 1.0)),
                elasticity=float(m.get("elasticity", 2.0)),
                competition=float(m.get("competition", 1.0)),
                season_amp=float(m.get("season_amp", 0.1)),
                season_peak_week=int(m.get("season_peak_week", 48)),
                holidays=tuple((int(h["week"]), float(h["boost"])) for h in m.get("holidays", []) or []),
                postal_days=float(m.get("postal_days", 15)),
                express_days=float(m.get("express_days", 5)),
                promise_days=float(m.get("promise_days", 14)),
                sea_rounds=int(m.get("sea_rounds", 5)),
                storage_fee=float(m.get("storage_fee", 0.5)),
            )
        )
    headings = hs_headings()
    products: list[Product] = []
    for i, pr in enumerate(_req(raw, "products", source)):
        where = f"{source}: products[{i}]"
        hs = str(_req(pr, "hs_heading", where))
        if hs not in headings:
            raise ValueError(f"{where}: HS heading {hs} not in the shipped extract ({sorted(headings)})")
        products.append(
            Product(
                sku=str(_req(pr, "sku", where)),
                name=str(pr.get("name", headings[hs][:40])),
                hs_heading=hs,
                unit_cost=float(_req(pr, "unit_cost", where)),
                weight_kg=float(pr.get("weight_kg", 0.3)),
                ref_price_eur=float(_req(pr, "ref_price_eur", where)),
                base_demand=float(pr.get("base_demand", 5.0)),
                return_rate=float(pr.get("return_rate", 0.05)),
            )
        )
    events: list[EventSpec] = []
    for i, e in enumerate(raw.get("events", []) or []):
        where = f"{source}: events[{i}]"
        kind = str(_req(e, "kind", where))
        if kind not in EVENT_KINDS:
            raise ValueError(f"{where}: kind {kind!r} not one of {EVENT_KINDS}")
        events.append(
            EventSpec(
                kind=kind,
                target=str(e.get("target", "*")),
                magnitude=float(_req(e, "magnitude", where)),
                round=None if e.get("round") is None else int(e["round"]),
                probability=float(e.get("probability", 0.0)),
            )
        )
    rounds = int(_req(raw, "rounds", source))
    round_days = int(raw.get("round_days", 7))
    start = str(_req(raw, "start_date", source))
    history = load_fx_history(fx_history_path)
    fx, dates = fx_window(history, [m.currency for m in markets] + ["EUR"], start, rounds, round_days)
    fx, fx_eur = np.ascontiguousarray(fx[:, :-1]), np.ascontiguousarray(fx[:, -1])
    lg = raw.get("logistics", {}) or {}
    sv = raw.get("service", {}) or {}
    ls = raw.get("listing", {}) or {}
    pay = raw.get("payment", {}) or {}
    return Scenario(
        name=str(_req(raw, "name", source)),
        title=str(raw.get("title", raw["name"])),
        description=str(raw.get("description", "")),
        rounds=rounds,
        start_date=start,
        round_days=round_days,
        initial_cash=float(raw.get("initial_cash", 100000.0)),
        initial_stock=int(raw.get("initial_stock", 0)),
        supply_lead=int(raw.get("supply_lead", 2)),
        postal_cost_kg=float(lg.get("postal_cost_kg", 60.0)),
        express_cost_kg=float(lg.get("express_cost_kg", 140.0)),
        sea_cost_kg=float(lg.get("sea_cost_kg", 8.0)),
        return_restock_direct=float(lg.get("restock_direct", 0.1)),
        return_restock_local=float(lg.get("restock_local", 0.8)),
        reply_wage=float(sv.get("reply_wage", 40.0)),
        replies_per_hour=float(sv.get("replies_per_hour", 12.0)),
        message_rate=float(sv.get("message_rate", 0.15)),
        translation_cost=float(ls.get("translation_cost", 300.0)),
        image_cost=float(ls.get("image_cost", 200.0)),
        broker_fee=float((raw.get("customs", {}) or {}).get("broker_fee", 150.0)),
        payment_fee=float(pay.get("fee", 0.01)),
        fx_spread=float(pay.get("fx_spread", 0.015)),
        overdraft_rate=float(pay.get("overdraft_rate", 0.002)),
        platforms=tuple(used_platforms.values()),
        markets=tuple(markets),
        products=tuple(products),
        events=tuple(events),
        fx=fx,
        fx_dates=dates,
        fx_eur=fx_eur,
        source=source,
    )


def replicate(scenario: Scenario, products: int, markets: int) -> Scenario:
    """A bigger (or smaller) copy: products and markets repeated cyclically, codes made unique.

    Used by the benchmark to reach 20 products x 10 markets from a shipped scenario.
    """
    ps = tuple(
        dataclasses.replace(
            scenario.products[i % len(scenario.products)],
            sku=f"{scenario.products[i % len(scenario.products)].sku}#{i}",
        )
        for i in range(products)
    )
    ms = tuple(
        dataclasses.replace(
            scenario.markets[i % len(scenario.markets)], code=f"{scenario.markets[i % len(scenario.markets)].code}#{i}"
        )
        for i in range(markets)
    )
    fx = scenario.fx[:, [i % len(scenario.markets) for i in range(markets)]]
    return dataclasses.replace(
        scenario, products=ps, markets=ms, fx=np.ascontiguousarray(fx), name=f"{scenario.name}x{products}x{markets}"
    )


def platform_of(scenario: Scenario, market_index: int) -> Platform:
    name = scenario.markets[market_index].platform
    return next(p for p in scenario.platforms if p.name == name)
