"""`pct`: a fraction (0..1) as a percentage with one decimal; NaN or None shows as a dash."""

from __future__ import annotations

import math

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "—"
    return "—" if not math.isfinite(x) else f"{100.0 * x:.1f}%"
