"""Final simulator scores reach the assessment of a course: a simulation component takes them as grades."""

from __future__ import annotations

import pytest

from cbec_talent.accounts.models import Role, User, UserRole
from cbec_talent.cohorts import services
from cbec_talent.cohorts.models import Grade, SchoolClass, Student
from cbec_talent.practice.models import PracticeScore
from cbec_talent.practice.services import session_advance, session_create
from cbec_talent.programmes.models import Programme


@pytest.fixture
def finished_session(role_users):
    for name in ("p1", "p2"):
        user = User.objects.create_user(username=name, password="Correct-horse-42")
        UserRole.objects.create(user=user, role=Role.STUDENT)
    teacher = role_users["teacher"]
    session = session_create(
        title="T",
        scenario="first_store",
        seed=11,
        rounds=3,
        round_hours=24,
        teams=[("A", ["p1"]), ("B", ["p2"])],
        actor=teacher,
    )
    for _ in range(3):
        session = session_advance(session=session, actor=teacher)
    assert session.status == "finished"
    return session


def test_a_simulation_component_takes_the_sessions_scores(client, role_users, finished_session):
    programme = Programme.objects.get(code="P000-CBEC")
    course = programme.courses.get(code="PR02")
    services.plan_save(
        course=course,
        components=[
            {"code": "TASK", "kind": "practical_task", "weight": 50, "competencies": []},
            {"code": "SIM", "kind": "simulation", "weight": 50, "competencies": ["OPS.PLATFORM", "OPS.SERVICE"]},
        ],
    )
    cohort = services.cohort_create(programme=programme, intake_year=2025, name="sim")
    klass = SchoolClass.objects.create(cohort=cohort, name="S1")
    p1 = Student.objects.create(number="S-1", name="p1", school_class=klass, user=User.objects.get(username="p1"))
    Student.objects.create(number="S-9", name="absent", school_class=klass)
    sim = course.assessment_components.get(code="SIM")
    client.force_login(role_users["teacher"])
    page = client.get(f"/cohorts/classes/{klass.pk}/grades/{course.pk}/")
    assert finished_session in page.context["finished_sessions"]
    response = client.post(
        f"/cohorts/classes/{klass.pk}/grades/{course.pk}/practice/",
        {"component": sim.pk, "session": finished_session.pk},
    )
    assert response.status_code == 302
    scores = PracticeScore.objects.filter(
        session=finished_session, student__username="p1", competency_code__in=["OPS.PLATFORM", "OPS.SERVICE"]
    )
    expected = round(sum(s.score for s in scores) / scores.count(), 2)
    assert float(Grade.objects.get(student=p1, component=sim).score) == pytest.approx(expected)
    assert Grade.objects.filter(component=sim).count() == 1, "the absent student is skipped"
    task = course.assessment_components.get(code="TASK")
    response = client.post(
        f"/cohorts/classes/{klass.pk}/grades/{course.pk}/practice/",
        {"component": task.pk, "session": finished_session.pk},
    )
    assert not Grade.objects.filter(component=task).exists()
