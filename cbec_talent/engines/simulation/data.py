"""Frozen inputs and outputs of the practice simulator.

Array shapes use T teams, P products, M markets (a market is one destination country sold through one
platform, e.g. ``DE-amazon``), R rounds. Money is in the home currency (CNY) unless a field says ``_local``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

ROLES = ("seller", "buyer", "logistics", "customs_broker", "payment")


@dataclass(frozen=True)
class Platform:
    """Fee schedule, listing rules, advertising and review dynamics of one marketplace or own store."""

    name: str
    commission: float  # share of the (VAT-inclusive) price
    fixed_fee: float  # CNY per order
    subscription: float  # CNY per round
    ad_efficiency: float  # demand lift per log unit of ad spend
    review_rate: float  # share of delivered orders that leave a review
    min_content: float  # listing rule: content in buyer's language below this -> suppressed
    late_threshold: float  # policy: late share above this triggers a penalty
    penalty_factor: float  # demand multiplier while penalised
    penalty_rounds: int
    payout_delay: int  # rounds until sales are paid out
    traffic: float  # own traffic (independent store < 1: must buy traffic)


@dataclass(frozen=True)
class Market:
    """A destination country sold through one platform."""

    code: str
    country: str
    currency: str
    language: str
    platform: str
    vat_rate: float
    duty_threshold_local: float  # de minimis: duty only on consignments above this value
    default_duty: float
    duty_by_heading: dict[str, float]
    demand: float  # market size multiplier
    elasticity: float
    competition: float
    season_amp: float
    season_peak_week: int
    holidays: tuple[tuple[int, float], ...]  # (ISO week, demand boost)
    postal_days: float
    express_days: float
    promise_days: float
    sea_rounds: int
    storage_fee: float  # CNY per unit per round in the overseas warehouse


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    hs_heading: str
    unit_cost: float  # CNY
    weight_kg: float
    ref_price_eur: float
    base_demand: float  # orders per round per market at reference price, quality 0.5
    return_rate: float


@dataclass(frozen=True)
class EventSpec:
    """A scheduled (``round`` set) or random (``probability`` set) event."""

    kind: str  # fx_shock | port_delay | platform_rule_change | tariff_change
    target: str  # market code, currency, platform name or "*"
    magnitude: float
    round: int | None = None
    probability: float = 0.0


@dataclass(frozen=True)
class Scenario:
    """A scenario read from YAML, with its arrays derived once."""

    name: str
    title: str
    description: str
    rounds: int
    start_date: str
    round_days: int
    initial_cash: float
    initial_stock: int
    supply_lead: int
    postal_cost_kg: float
    express_cost_kg: float
    sea_cost_kg: float
    return_restock_direct: float
    return_restock_local: float
    reply_wage: float  # CNY per hour of customer-service time
    replies_per_hour: float
    message_rate: float  # messages per order
    translation_cost: float  # CNY per unit of content level raised, per product-market
    image_cost: float
    broker_fee: float  # CNY per customs declaration (sea shipment lot or dutiable parcel)
    payment_fee: float  # share of payouts
    fx_spread: float  # share lost when converting to CNY
    overdraft_rate: float  # per round on negative cash
    platforms: tuple[Platform, ...]
    markets: tuple[Market, ...]
    products: tuple[Product, ...]
    events: tuple[EventSpec, ...]
    fx: np.ndarray = field(repr=False)  # (R, M) CNY per one unit of the market's currency
    fx_dates: tuple[str, ...] = field(repr=False, default=())
    fx_eur: np.ndarray = field(repr=False, default_factory=lambda: np.ones(1))  # (R,) CNY per EUR
    source: str = ""

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.products), len(self.markets)


@dataclass(frozen=True)
class Services:
    """Service terms faced by each team; defaults come from the scenario, roles played by students set them.

    All arrays are (T,) and broadcast over products and markets.
    """

    ship_cost_factor: np.ndarray  # multiplies postal/express/sea freight prices
    ontime_shift_days: np.ndarray  # logistics provider's reliability: days added (+) or saved (-)
    broker_fee: np.ndarray  # CNY per declaration
    declaration_error: np.ndarray  # share of declarations with a classification error (fined, delayed)
    payment_fee: np.ndarray
    fx_spread: np.ndarray
    buyer_price_sensitivity: np.ndarray  # multiplies the market's price elasticity


@dataclass(frozen=True)
class Decisions:
    """One round's decisions for all teams."""

    price_local: np.ndarray  # (T,P,M) price in the market's currency, VAT included; 0 = not listed
    ad_spend: np.ndarray  # (T,P,M) CNY
    reorder: np.ndarray  # (T,P) units bought from the supplier into the home (China) warehouse
    ship_sea: np.ndarray  # (T,P,M) units sent by sea freight from home to the overseas warehouse
    express: np.ndarray  # (T,P,M) bool: direct parcels go by express instead of postal
    content: np.ndarray  # (T,P,M) target listing content level in the buyer's language, 0..1
    images: np.ndarray  # (T,P,M) target image quality 0..1
    reply_hours: np.ndarray  # (T,M) customer-service hours this round


@dataclass(frozen=True)
class Env:
    """Scenario parameters as changed by events so far (shared by all teams)."""

    fx_factor: np.ndarray  # (M,)
    postal_delay_days: np.ndarray  # (M,)
    sea_delay_rounds: np.ndarray  # (M,) int
    commission: np.ndarray  # (M,)
    duty: np.ndarray  # (P,M)
    log: tuple[str, ...] = ()


@dataclass(frozen=True)
class State:
    """Whole game state; ``step`` returns a new one and never changes its input."""

    scenario: Scenario = field(repr=False)
    seed: int
    round: int
    rng_state: dict[str, Any] = field(repr=False)
    env: Env = field(repr=False)
    services: Services = field(repr=False)
    derived: Any = field(repr=False)  # engine.Derived: scenario arrays computed once per game
    cash: np.ndarray  # (T,)
    home: np.ndarray  # (T,P) int32
    overseas: np.ndarray  # (T,P,M) int32
    supply_pipe: np.ndarray  # (T,P,L) int32 units arriving home in k+1 rounds
    sea_pipe: tuple[np.ndarray, ...]  # S arrays (T,P,M) int32: sea freight unloading in k+1 rounds
    pay_pipe: np.ndarray  # (T,M,D) local currency due in k+1 rounds
    content: np.ndarray  # (T,P,M)
    images: np.ndarray  # (T,P,M)
    rating: np.ndarray  # (T,P,M) 1..5
    reviews: np.ndarray  # (T,P,M)
    penalty: np.ndarray  # (T,M) int rounds of penalty left
    units_bought: np.ndarray  # (T,P) cumulative
    units_kept: np.ndarray  # (T,P) cumulative shipped to buyers and not returned
    units_lost: np.ndarray  # (T,P) cumulative returned and written off

    @property
    def teams(self) -> int:
        return int(self.cash.shape[0])

    def units_in_stock(self) -> np.ndarray:
        return self.home + self.overseas.sum(axis=2)

    def units_in_transit(self) -> np.ndarray:
        sea = np.zeros(self.home.shape, np.int64)
        for a in self.sea_pipe:
            sea += a.sum(axis=2)
        return self.supply_pipe.sum(axis=2) + sea


KPI_NAMES = (
    "revenue",
    "profit",
    "margin",
    "on_time_rate",
    "rating",
    "acos",
    "inventory_turns",
    "cash",
    "fill_rate",
    "reply_in_time",
    "lang_en",
    "lang_x",
)


@dataclass(frozen=True)
class RoundResult:
    """What happened in one round, per team (arrays are (T,) unless noted)."""

    round: int
    date: str
    events: tuple[str, ...]
    kpis: dict[str, np.ndarray]  # KPI_NAMES -> (T,)
    orders: np.ndarray  # (T,P,M)
    shipped: np.ndarray  # (T,P,M)
    late: np.ndarray  # (T,P,M)
    returned: np.ndarray  # (T,P,M)
    lost: np.ndarray  # (T,P,M) returned units written off
    cash_in: np.ndarray
    cash_out: np.ndarray
    costs: dict[str, np.ndarray]  # cost line -> (T,) CNY
    declarations: np.ndarray  # (T,) customs declarations made
    declaration_errors: np.ndarray  # (T,)
    payout_cny: np.ndarray  # (T,) converted payouts
    price_index: np.ndarray  # (T,) price paid / market reference price, weighted by units kept (NaN: none)


@dataclass(frozen=True)
class RoleDecisions:
    """Terms set by the service roles of the transaction mode, one value per group (T,).

    A group is one seller team with its buyer, logistics provider, customs broker and payment provider;
    the model plays any role that no student takes (``roles.model_role_decisions``).
    """

    logistics_price: np.ndarray  # freight price factor, 0.5..2 (1 = scenario tariff)
    logistics_effort: np.ndarray  # reliability effort 0..1 (0.5 = scenario lead times)
    broker_fee: np.ndarray  # CNY per declaration
    broker_accuracy: np.ndarray  # classification effort 0..1
    payment_fee: np.ndarray  # share of payouts
    payment_spread: np.ndarray  # FX spread share
    buyer_sensitivity: np.ndarray  # how hard buyers compare prices, 0.5..2 (1 = scenario elasticity)


@dataclass(frozen=True)
class CompetencyScore:
    """A score with its explanation: ``explanation`` in English, and the same as a message key (an English
    template with ``%(name)s`` placeholders) and its ``params`` (formatted figures, or a nested
    ``{"key": ..., "params": ...}``), which the app translates into the reader's language."""

    code: str
    score: float  # 0..100
    explanation: str
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def render_message(key: str, params: dict[str, Any]) -> str:
    """A message key with its params, in English (nested messages rendered first)."""
    return key % {k: render_message(v["key"], v["params"]) if isinstance(v, dict) else v for k, v in params.items()}


def keyed_score(code: str, score: float, key: str, **params: Any) -> CompetencyScore:
    return CompetencyScore(code, score, render_message(key, params), key, params)


@dataclass(frozen=True)
class TeamScore:
    team: int
    role: str
    scores: tuple[CompetencyScore, ...]

    def as_dict(self) -> dict[str, float]:
        return {s.code: s.score for s in self.scores}


@dataclass(frozen=True)
class RunRecord:
    """Seed and parameters recorded with every run."""

    scenario: str
    source: str
    seed: int
    teams: int
    rounds: int
    products: int
    markets: int
    engine_version: str
    numpy_version: str
    parameters: dict[str, Any]
