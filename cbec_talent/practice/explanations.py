"""The simulator's score explanations in the reader's language.

The engine (engines/simulation, no Django) gives each score a message key, an English template, with its
params (figures already formatted); the keys are listed here so that the catalogue carries them, and
``explanation_text`` translates one, nested messages first. Scores stored before the keys existed keep
their English text."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

KEYS = (
    gettext_noop("fill rate %(fill)s, final rating %(rating)s/5 (60/40)"),
    gettext_noop("on-time rate %(ontime)s, fill rate %(fill)s (70/30)"),
    gettext_noop("messages answered in time %(reply)s, final rating %(rating)s/5 (60/40)"),
    gettext_noop("mean ad cost of sales %(acos)s (100 at 0%%, 0 at 30%% or more); ads %(ads)s CNY"),
    gettext_noop("mean English listing content level %(level)s of 1"),
    gettext_noop("mean second-language listing content level %(level)s of 1"),
    gettext_noop("rounds with negative cash %(neg)s, overdraft interest %(interest)s CNY"),
    gettext_noop("margin after fees, duties and FX %(margin)s on revenue %(revenue)s CNY (0 at -20%%, 100 at +30%%)"),
    gettext_noop("seller's on-time rate %(ontime)s (60%%), carrier margin score %(margin)s (40%%)"),
    gettext_noop("declaration error rate %(err)s (60%%, 0 at 10%%), broker margin score %(margin)s (40%%)"),
    gettext_noop("fee plus FX spread %(take)s (50%%, 0 at 6%%), provider margin score %(margin)s (50%%)"),
    gettext_noop("paid %(index)s x the market reference price on %(units)s units kept (100 at 0.75, 0 at 1.25)"),
    gettext_noop("mean of %(n)s round(s); last round: %(last)s"),
)


def explanation_text(key: str, params: dict[str, Any] | None = None, fallback: str = "") -> str:
    """``key`` translated and filled with ``params``; ``fallback`` (the stored English) when there is no key."""
    if not key:
        return fallback
    values = {
        k: explanation_text(v.get("key", ""), v.get("params"), "") if isinstance(v, dict) else v
        for k, v in (params or {}).items()
    }
    try:
        return gettext(key) % values
    except (KeyError, TypeError, ValueError):  # a catalogue entry out of step with the engine's params
        return key % values


def score_text(score) -> str:
    """The explanation of an engine CompetencyScore in the active language."""
    return explanation_text(score.key, score.params, score.explanation)
