"""Stored plans and rules as the attainment engine's dataclasses (one path, used by saves and by reports)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cbec_talent.engines.attainment import Component, ComponentKind, CoursePlan, Finding, PlanRules

from .models import CollegeRule

FULL_MARKS = 100.0


def college_rule() -> CollegeRule:
    rule, _created = CollegeRule.objects.get_or_create(pk=1)
    return rule


def plan_rules(rule: CollegeRule | None = None) -> PlanRules:
    rule = rule or college_rule()
    return PlanRules(
        min_practice_share=float(rule.min_practice_percent) / 100.0,
        max_component_share=(
            float(rule.max_component_percent) / 100.0 if rule.max_component_percent is not None else None
        ),
    )


def course_plan(course_code: str, components) -> CoursePlan:
    """Components (model rows or dicts with code, kind, weight, competencies) -> the engine's CoursePlan."""
    out = []
    for c in components:
        get = c.get if isinstance(c, dict) else lambda k, _c=c: getattr(_c, k)
        out.append(
            Component(
                code=get("code"),
                kind=ComponentKind(get("kind")),
                weight=float(get("weight")),
                competencies=tuple(get("competencies") or ()),
            )
        )
    return CoursePlan(course=course_code, components=tuple(out), declared_total=100.0, full_marks=FULL_MARKS)


def finding_text(f: Finding) -> str:
    """Both languages, as the issue asks for bilingual findings."""
    return f"{f.message_zh} / {f.message_en}"


def parse_score(value) -> Decimal | None:
    """A cell or form value -> score 0..100 with at most two decimals; blank -> None; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(_("not a number"))
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("not a number: %(v)s") % {"v": str(value)[:20]}) from None
    if not score.is_finite() or score < 0 or score > 100:
        raise ValueError(_("score %(v)s is outside 0..100") % {"v": str(value)[:20]})
    if score != score.quantize(Decimal("0.01")):
        raise ValueError(_("at most two decimals: %(v)s") % {"v": str(value)[:20]})
    return score.quantize(Decimal("0.01"))
