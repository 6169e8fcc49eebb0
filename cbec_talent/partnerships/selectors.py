"""Reads of the alliance: the directors' overview figures (enterprises, agreements active and expiring, seats
against applications and placements, internships with open findings, order-class quota fill)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext as _

from .findings import internship_findings
from .models import Agreement, Enterprise, InternshipPost, Placement

EXPIRY_DAYS = 90


def _counted(counter: Counter) -> list[dict]:
    return [{"name": k, "value": v} for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def overview_figures(today: dt.date | None = None) -> dict:
    """Everything the overview shows, in a fixed number of queries (independent of the size of the alliance)."""
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=EXPIRY_DAYS)
    enterprises = list(Enterprise.objects.order_by("name"))
    size_labels = dict(Enterprise.Size.choices)
    by_size = Counter(str(size_labels.get(e.size, e.size)) for e in enterprises)
    by_city = Counter(e.city.strip() or _("(no city)") for e in enterprises)
    by_platform = Counter(str(p).strip() for e in enterprises for p in (e.platforms or []) if str(p).strip())

    agreements = list(Agreement.objects.select_related("enterprise").order_by("end", "enterprise__name"))
    kinds = []
    for code, label in Agreement.Kind.choices:
        mine = [a for a in agreements if a.kind == code]
        active = [a for a in mine if a.start <= today <= a.end]
        kinds.append(
            {
                "code": code,
                "label": str(label),
                "total": len(mine),
                "active": len(active),
                "expiring": sum(1 for a in active if a.end <= horizon),
            }
        )
    expiring = [
        {"agreement": a, "days": (a.end - today).days} for a in agreements if a.start <= today <= a.end <= horizon
    ]

    posts = list(
        InternshipPost.objects.select_related("enterprise")
        .annotate(n_applications=Count("applications", distinct=True), n_placed=Count("placements", distinct=True))
        .order_by("enterprise__name", "title")
    )
    per_enterprise: dict[str, dict] = {}
    for p in posts:
        row = per_enterprise.setdefault(p.enterprise.name, {"seats": 0, "applications": 0, "placed": 0})
        row["seats"] += p.seats
        row["applications"] += p.n_applications
        row["placed"] += p.n_placed
    unplaced_applicants = _unplaced_applicants()

    placements = (
        Placement.objects.select_related("student", "post__enterprise")
        .prefetch_related("checkins", "weekly_logs", "evaluations", "post__enterprise__agreements")
        .order_by("post__enterprise__name", "student__number")
    )
    findings = []
    for placement in placements:
        found = internship_findings(placement, today=today)
        if found:
            findings.append({"placement": placement, "findings": found})

    fills = Counter()
    pending = Counter()
    # order-class selections point at their agreement (selection app); counted through that relation
    for agreement_id, status, n in (
        Agreement.objects.filter(selections__candidates__selected=True)
        .values_list("pk", "selections__status")
        .annotate(n=Count("selections__candidates"))
    ):
        (fills if status == "published" else pending)[agreement_id] += n
    quota = [
        {
            "agreement": a,
            "quota": a.quota,
            "selected": fills[a.pk],
            "pending": pending[a.pk],
            "percent": round(100.0 * fills[a.pk] / a.quota, 1) if a.quota else None,
        }
        for a in agreements
        if a.kind == Agreement.Kind.ORDER_CLASS
    ]
    return {
        "today": today,
        "horizon": horizon,
        "enterprises": enterprises,
        "by_size": _counted(by_size),
        "by_city": _counted(by_city),
        "by_platform": _counted(by_platform),
        "kinds": kinds,
        "expiring": expiring,
        "posts": posts,
        "per_enterprise": [{"name": k, **v} for k, v in sorted(per_enterprise.items())],
        "unplaced_applicants": unplaced_applicants,
        "findings": findings,
        "quota": quota,
    }


def _unplaced_applicants() -> int:
    from cbec_talent.cohorts.models import Student

    return Student.objects.filter(applications__isnull=False, placement__isnull=True).distinct().count()


def applicants_with_fit(post) -> list:
    """The post's applications in the order the matching would rank them (the enterprise's ranks first, then fit,
    then student number; declined last), each with ``fit`` (0-100) from the student's attainment against the
    post's required levels."""
    import numpy as np

    from cbec_talent.engines.matching import fit_scores

    from .services import LEVEL_TARGET, _attainment

    applications = list(post.applications.select_related("student__school_class__cohort").order_by("student__number"))
    if not applications:
        return []
    codes = sorted(post.requirements)
    requirements = np.array([[LEVEL_TARGET.get(post.requirements[c], 0.0) for c in codes]]).reshape(1, len(codes))
    fit = fit_scores(_attainment([a.student for a in applications], codes), requirements)[:, 0]
    for application, value in zip(applications, fit, strict=True):
        application.fit = round(float(value) * 100, 1)
    return sorted(
        applications,
        key=lambda a: (a.declined, a.enterprise_rank is None, a.enterprise_rank or 0, -a.fit, a.student.number),
    )


def requirement_labels(post) -> list[tuple[str, str]]:
    """The post's required competencies as (code, level name in the current language), e.g. ("LANG.EN", "运用")."""
    from cbec_talent.competencies.models import ProficiencyLevel
    from cbec_talent.competencies.selectors import default_framework

    framework = default_framework()
    names = {lv.code: lv.name for lv in ProficiencyLevel.objects.filter(framework=framework)} if framework else {}
    return [(code, names.get(level, level)) for code, level in post.requirements.items()]
