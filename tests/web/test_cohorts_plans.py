"""Assessment plans: weights must sum to 100 and the college rule "practice counts at least N%" is enforced
on save, with the engine's findings shown in both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cbec_talent.cohorts import services
from cbec_talent.cohorts.models import AssessmentComponent
from cbec_talent.core.errors import CbecError
from cbec_talent.programmes.models import Programme


@pytest.fixture
def course(db):
    return Programme.objects.get(code="P000-CBEC").courses.get(code="SP01")


def comp(code, kind, weight, competencies=()):
    return {"code": code, "kind": kind, "weight": weight, "competencies": list(competencies)}


def test_weights_must_sum_to_100(course):
    with pytest.raises(CbecError) as info:
        services.plan_save(
            course=course, components=[comp("EXAM", "theory_exam", 50), comp("OPS", "platform_operation", 40)]
        )
    text = " ".join(p.message for p in info.value.problems)
    assert "90" in text and "权重合计" in text and "weights sum" in text
    assert not AssessmentComponent.objects.filter(course=course).exists()


def test_practice_rule_is_enforced_and_follows_the_college_setting(course):
    plan = [comp("EXAM", "theory_exam", 70), comp("OPS", "platform_operation", 30, ["OPS.PLATFORM"])]
    services.college_rule_update(min_practice_percent=Decimal("40"), max_component_percent=None)
    with pytest.raises(CbecError) as info:
        services.plan_save(course=course, components=plan)
    text = " ".join(p.message for p in info.value.problems)
    assert "30.0%" in text and "40.0%" in text and "实践" in text and "practice" in text
    assert not AssessmentComponent.objects.filter(course=course).exists()

    services.college_rule_update(min_practice_percent=Decimal("30"), max_component_percent=None)
    services.plan_save(course=course, components=plan)
    stored = list(AssessmentComponent.objects.filter(course=course).values_list("code", "weight", "competencies"))
    assert stored == [("EXAM", Decimal("70.00"), []), ("OPS", Decimal("30.00"), ["OPS.PLATFORM"])]


def test_plan_page_shows_bilingual_findings_and_saves_a_good_plan(client, role_users, course):
    client.force_login(role_users["director"])
    url = f"/cohorts/programmes/{course.programme_id}/plans/SP01/"
    form = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "20"}
    bad = {
        **form,
        "form-0-code": "EXAM",
        "form-0-kind": "theory_exam",
        "form-0-weight": "80",
        "form-1-code": "SIM",
        "form-1-kind": "simulation",
        "form-1-weight": "20",
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="problems"' in html and "实践类考核占比" in html and "practice carries" in html
    good = {**bad, "form-0-weight": "50", "form-1-weight": "50", "form-1-competencies": "OPS.PLATFORM"}
    assert client.post(url, good).status_code == 302
    assert AssessmentComponent.objects.filter(course=course).count() == 2
    assert client.get(url).status_code == 200
    client.force_login(role_users["teacher"])
    assert client.post(url, good).status_code == 403


def test_unknown_competency_is_refused(course):
    with pytest.raises(CbecError) as info:
        services.plan_save(
            course=course, components=[comp("EXAM", "theory_exam", 50), comp("OPS", "practical_task", 50, ["NO.SUCH"])]
        )
    assert any("NO.SUCH" in p.message for p in info.value.problems)
