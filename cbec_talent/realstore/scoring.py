"""How co-signed weekly figures become a score (0-100), documented for teachers and students.

Each co-signed week scores the mean of five parts, each between 0 and 1, against the store's weekly targets:
  orders / target orders, sales / target sales, conversion / target conversion, rating / target rating
  (each capped at 1), and disputes: 1 when the dispute rate (disputes / orders, %) is at or below its target,
  else target / rate.
The store's score is 100 x the mean over its co-signed weeks (weeks not co-signed do not count). No co-signed
week: no score (the component stays without a grade). Pure Python: figures in, numbers out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WeekFigures:
    orders: int
    sales: float
    conversion: float
    rating: float
    disputes: int


@dataclass(frozen=True)
class Targets:
    orders: float
    sales: float
    conversion: float
    rating: float
    dispute_rate: float


def _ratio(actual: float, target: float) -> float:
    if target <= 0:
        return 1.0
    return max(0.0, min(1.0, actual / target))


def week_parts(week: WeekFigures, targets: Targets) -> dict[str, float]:
    rate = 100.0 * week.disputes / week.orders if week.orders else (100.0 if week.disputes else 0.0)
    disputes = 1.0 if rate <= targets.dispute_rate else (targets.dispute_rate / rate if rate else 1.0)
    return {
        "orders": _ratio(week.orders, targets.orders),
        "sales": _ratio(week.sales, targets.sales),
        "conversion": _ratio(week.conversion, targets.conversion),
        "rating": _ratio(week.rating, targets.rating),
        "disputes": max(0.0, min(1.0, disputes)),
    }


def week_score(week: WeekFigures, targets: Targets) -> float:
    parts = week_parts(week, targets)
    return 100.0 * sum(parts.values()) / len(parts)


def store_score(weeks: list[WeekFigures], targets: Targets) -> float | None:
    if not weeks:
        return None
    return round(sum(week_score(w, targets) for w in weeks) / len(weeks), 2)
