"""Five-in-one stage gating (paper 003): a stage opens when the previous assessed stage's attainment reaches the
programme's threshold; the director opens one early with a reason (audited); students and teachers cannot."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cbec_talent.accounts.models import AuditLog
from cbec_talent.cohorts import demo as cohorts_demo
from cbec_talent.cohorts import services
from cbec_talent.cohorts.models import StageOpening, Student
from cbec_talent.cohorts.selectors import student_gates
from cbec_talent.core.errors import CbecError
from cbec_talent.demo import create_demo_users


@pytest.fixture
def cohort(db, reference):
    create_demo_users()
    return cohorts_demo.create_demo_data()


def _state(student):
    return {g.stage: g.open for g in student_gates(student)}


def test_gates_follow_the_previous_stage_and_the_threshold(cohort):
    weak = Student.objects.get(number="20240004")  # theory ~40%
    strong = Student.objects.get(number="20240003")  # theory ~90%
    assert _state(weak) == {
        "theory": True,
        "cognitive": False,
        "simulation": False,
        "operation": False,
        "certification": False,
    }
    assert all(_state(strong).values())
    gate = student_gates(weak)[1]
    assert gate.previous == "theory" and gate.previous_attainment < 60 and "below the threshold" in gate.why
    # the director lowers the programme's threshold: the weak student's cognitive stage opens
    services.attainment_setting_update(
        programme=cohort.programme,
        method="weighted_average",
        target_percent=Decimal(70),
        threshold_percent=Decimal(60),
        risk_percent=Decimal(60),
        stage_threshold_percent=Decimal(35),
    )
    assert 35 <= gate.previous_attainment
    assert _state(weak)["cognitive"] is True


def test_director_opens_a_stage_early_with_a_reason_audited(cohort, client, role_users):
    weak = Student.objects.get(number="20240004")
    url = f"/cohorts/{cohort.pk}/stages/open/"
    client.force_login(role_users["director"])
    response = client.post(url, {"student": weak.pk, "stage": "cognitive", "reason": ""})
    assert response.status_code == 302 and not StageOpening.objects.exists()
    response = client.post(url, {"student": weak.pk, "stage": "cognitive", "reason": "补考已通过 resit passed"})
    assert response.status_code == 302
    opening = StageOpening.objects.get(student=weak, stage="cognitive")
    gate = student_gates(weak)[1]
    assert gate.open and gate.early and "resit passed" in gate.why
    entry = AuditLog.objects.filter(object_type="cohorts.StageOpening", object_id=str(opening.pk)).get()
    assert entry.after["reason"] == "补考已通过 resit passed" and entry.actor == role_users["director"]
    assert entry.after["threshold"] == 60.0 and entry.after["previous_attainment"] < 60
    page = client.get(f"/cohorts/{cohort.pk}/").content.decode()
    assert 'data-early="1"' in page and "resit passed" in page
    with pytest.raises(CbecError):
        services.stage_open_early(student=weak, stage="cognitive", reason="again", actor=role_users["director"])
    for role in ("teacher", "student", "enterprise_tutor"):
        client.force_login(role_users[role])
        assert client.post(url, {"student": weak.pk, "stage": "simulation", "reason": "x"}).status_code == 403
    assert StageOpening.objects.count() == 1


def test_an_open_stage_cannot_be_opened_early(cohort, role_users):
    strong = Student.objects.get(number="20240003")
    with pytest.raises(CbecError):
        services.stage_open_early(student=strong, stage="cognitive", reason="why", actor=role_users["director"])
