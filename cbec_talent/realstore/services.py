"""Writes of the real-store app: a store for a student, its weekly figures (import or one week typed in; all-or-
nothing; a co-signed week cannot be changed), the tutor's co-signature, and the grade the co-signed weeks give
on the store's assessment component (scoring.py), stored through cohorts.services.grade_set (audited)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cbec_talent.cohorts import services as cohort_services
from cbec_talent.cohorts.models import AssessmentComponent, Student
from cbec_talent.core.audit_context import acting_as, current_channel
from cbec_talent.core.errors import CbecError, Problem

from . import scoring
from .models import DEFAULT_TARGETS, RealStore, StoreWeek
from .reading import WeekRow, read_weeks, rows_from_records


def _targets(store: RealStore) -> scoring.Targets:
    return scoring.Targets(**{k: store.target(k) for k in DEFAULT_TARGETS})


def _figures(week: StoreWeek) -> scoring.WeekFigures:
    return scoring.WeekFigures(
        week.orders, float(week.sales), float(week.conversion), float(week.rating), week.disputes
    )


def store_score(store: RealStore) -> float | None:
    weeks = [_figures(w) for w in store.weeks.filter(cosigned_at__isnull=False)]
    return scoring.store_score(weeks, _targets(store))


def week_score(store: RealStore, week: StoreWeek) -> float:
    return round(scoring.week_score(_figures(week), _targets(store)), 2)


@transaction.atomic
def store_create(
    *,
    student: Student,
    platform: str,
    name: str,
    tutor=None,
    component: AssessmentComponent | None = None,
    targets: dict | None = None,
    actor=None,
) -> RealStore:
    if component is not None and component.course.programme_id != student.school_class.cohort.programme_id:
        raise CbecError([Problem(_("The component is not in the student's programme."), field="component")])
    clean = {}
    for key, default in DEFAULT_TARGETS.items():
        value = (targets or {}).get(key, default)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise CbecError([Problem(_("a target is a number"), field=key)]) from None
        if value <= 0:
            raise CbecError([Problem(_("a target is above zero"), field=key)])
        clean[key] = value
    if not name.strip():
        raise CbecError([Problem(_("a store name is required"), field="name")])
    return RealStore.objects.create(
        student=student, platform=platform, name=name.strip()[:200], tutor=tutor, component=component, targets=clean
    )


def _store_rows(store: RealStore, rows: list[WeekRow]) -> int:
    existing = {w.week_start: w for w in store.weeks.all()}
    problems = [
        Problem(
            _("the week of %(w)s is co-signed by the tutor; ask the tutor to reopen it before changing it")
            % {"w": r.week_start.isoformat()},
            row=r.row,
            field="week_start",
        )
        for r in rows
        if r.week_start in existing and existing[r.week_start].cosigned
    ]
    if problems:
        raise CbecError(problems)
    for r in rows:
        week = existing.get(r.week_start) or StoreWeek(store=store, week_start=r.week_start)
        for attr in ("orders", "sales", "currency", "sessions", "conversion", "rating", "disputes"):
            setattr(week, attr, getattr(r, attr))
        week.save()
    return len(rows)


@transaction.atomic
def weeks_import(*, store: RealStore, data: bytes, filename: str = "", actor=None) -> int:
    """All rows or none; a week already stored is updated (unless co-signed)."""
    return _store_rows(store, read_weeks(data, filename))


@transaction.atomic
def week_enter(*, store: RealStore, values: dict, actor=None) -> StoreWeek:
    """One week typed in: the same checks as an import (a one-row CSV)."""
    keys = ("week_start", "orders", "sales", "currency", "sessions", "conversion_rate", "rating", "disputes")
    rows = rows_from_records(None, [(1, {k: values.get(k) for k in keys})])
    _store_rows(store, rows)
    return store.weeks.get(week_start=rows[0].week_start)


def _regrade(store: RealStore, actor) -> Decimal | None:
    if store.component_id is None:
        return None
    score = store_score(store)
    value = None if score is None else Decimal(str(score)).quantize(Decimal("0.01"))
    cohort_services.grade_set(student=store.student, component=store.component, score=value, actor=actor)
    return value


@transaction.atomic
def week_cosign(*, week: StoreWeek, tutor, note: str = "") -> Decimal | None:
    """The tutor co-signs a week: it counts from now on; returns the student's new grade on the component."""
    if week.cosigned:
        raise CbecError([Problem(_("This week is already co-signed."))])
    week.cosigned_by, week.cosigned_at, week.tutor_note = tutor, timezone.now(), note.strip()[:300]
    with acting_as(tutor, current_channel()):
        week.save()
        return _regrade(week.store, tutor)


@transaction.atomic
def week_reopen(*, week: StoreWeek, tutor, note: str = "") -> Decimal | None:
    """The tutor withdraws a co-signature (so the student can correct the figures); the grade follows."""
    if not week.cosigned:
        raise CbecError([Problem(_("This week is not co-signed."))])
    week.cosigned_by, week.cosigned_at = None, None
    if note:
        week.tutor_note = note.strip()[:300]
    with acting_as(tutor, current_channel()):
        week.save()
        return _regrade(week.store, tutor)
