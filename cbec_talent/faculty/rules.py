"""The dual-qualified (双师型) rule: every constant of it lives here, and the page shows `rule_text()`.

A teacher is dual-qualified when EITHER
  (a) they hold a qualification of a counted kind (a vocational qualification or skill certificate, or an
      industry title) that is marked relevant to cross-border e-commerce and is still valid, OR
  (b) their enterprise practice that ended within the last PRACTICE_YEARS years adds up to at least
      PRACTICE_HOURS hours (the national basic standard asks for about six months in five years; 960 hours =
      6 months x 20 days x 8 hours).

The constants may be changed per installation in the Django settings (FACULTY_DUAL_PRACTICE_HOURS,
FACULTY_DUAL_PRACTICE_YEARS, FACULTY_DUAL_QUALIFICATION_KINDS) without touching the code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

PRACTICE_HOURS = 960
PRACTICE_YEARS = 5
QUALIFICATION_KINDS = ("vocational", "industry_title")


@dataclass(frozen=True)
class DualRule:
    practice_hours: int
    practice_years: int
    qualification_kinds: tuple[str, ...]


def current_rule() -> DualRule:
    return DualRule(
        practice_hours=int(getattr(settings, "FACULTY_DUAL_PRACTICE_HOURS", PRACTICE_HOURS)),
        practice_years=int(getattr(settings, "FACULTY_DUAL_PRACTICE_YEARS", PRACTICE_YEARS)),
        qualification_kinds=tuple(getattr(settings, "FACULTY_DUAL_QUALIFICATION_KINDS", QUALIFICATION_KINDS)),
    )


def rule_text(rule: DualRule | None = None) -> str:
    rule = rule or current_rule()
    return _(
        "A teacher is dual-qualified when they hold a valid vocational qualification, skill certificate or "
        "industry title relevant to cross-border e-commerce, OR their enterprise practice that ended within the "
        "last %(years)d years adds up to at least %(hours)d hours."
    ) % {"years": rule.practice_years, "hours": rule.practice_hours}


@dataclass(frozen=True)
class DualStatus:
    dual: bool
    reason: str
    practice_hours: int  # counted hours within the window
    qualification: str = ""  # the qualification that made the teacher dual-qualified, if any


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def dual_status(
    *,
    qualifications: Iterable,
    practices: Iterable,
    today: dt.date | None = None,
    rule: DualRule | None = None,
) -> DualStatus:
    """qualifications: objects with kind, name, relevant, obtained, valid_until; practices: objects with end and
    hours. The same objects the ledger holds (prefetched), so the list page computes this without queries."""
    rule = rule or current_rule()
    today = today or dt.date.today()
    since = _years_before(today, rule.practice_years)
    hours = sum(int(p.hours) for p in practices if since <= p.end <= today)
    counted = [
        q
        for q in qualifications
        if q.kind in rule.qualification_kinds
        and q.relevant
        and q.obtained <= today
        and (q.valid_until is None or q.valid_until >= today)
    ]
    if counted:
        q = sorted(counted, key=lambda q: (q.obtained, q.name))[0]
        return DualStatus(
            True,
            _("Holds %(name)s (%(kind)s, obtained %(date)s).")
            % {"name": q.name, "kind": q.get_kind_display(), "date": q.obtained.isoformat()},
            hours,
            q.name,
        )
    if hours >= rule.practice_hours:
        return DualStatus(
            True,
            _("%(hours)d hours of enterprise practice since %(since)s (at least %(need)d needed).")
            % {"hours": hours, "since": since.isoformat(), "need": rule.practice_hours},
            hours,
        )
    return DualStatus(
        False,
        _(
            "Not yet: no valid relevant vocational qualification or industry title, and %(hours)d of the "
            "%(need)d hours of enterprise practice since %(since)s."
        )
        % {"hours": hours, "need": rule.practice_hours, "since": since.isoformat()},
        hours,
    )
