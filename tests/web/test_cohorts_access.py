"""A student sees only their own profile (with the radar); enterprise tutors are kept out for now."""

from __future__ import annotations

import json

import pytest

from cbec_talent.cohorts import services
from cbec_talent.cohorts.models import Grade, SchoolClass, Student
from cbec_talent.programmes.models import Programme


@pytest.fixture
def two_students(db, role_users, make_user):
    programme = Programme.objects.get(code="P000-CBEC")
    course = programme.courses.get(code="SP01")
    services.plan_save(
        course=course,
        components=[
            {"code": "EXAM", "kind": "theory_exam", "weight": 50, "competencies": []},
            {"code": "OPS", "kind": "platform_operation", "weight": 50, "competencies": []},
        ],
    )
    cohort = services.cohort_create(programme=programme, intake_year=2025, name="a")
    klass = SchoolClass.objects.create(cohort=cohort, name="A1")
    mine = Student.objects.create(number="A1", name="我", school_class=klass, user=role_users["student"])
    other_user = make_user("other_student", "student")
    other = Student.objects.create(number="A2", name="他", school_class=klass, user=other_user)
    for comp in course.assessment_components.all():
        Grade.objects.create(student=mine, component=comp, score=80)
        Grade.objects.create(student=other, component=comp, score=40)
    return mine, other


def test_student_sees_own_profile_and_radar_but_not_another_students(client, role_users, two_students):
    mine, other = two_students
    client.force_login(role_users["student"])
    assert client.get("/cohorts/me/").url == f"/cohorts/students/{mine.pk}/"
    response = client.get(f"/cohorts/students/{mine.pk}/?position=POS.11")
    assert response.status_code == 200
    html = response.content.decode()
    radar = json.loads(html.split('id="student-radar-data" type="application/json">')[1].split("</script>")[0])
    values = dict(zip([i["name"] for i in radar["indicators"]], radar["student"], strict=True))
    assert values["OPS.PLATFORM"] == 80.0  # SP01 both components, 80 each
    targets = dict(zip([i["name"] for i in radar["indicators"]], radar["target"], strict=True))
    assert targets["OPS.PLATFORM"] == 100.0 and targets["OPS.LOGISTICS"] == 66.7  # master 3/3, apply 2/3
    gaps = [g["code"] for g in response.context["gaps"]]
    assert "OPS.PLATFORM" in gaps and "OPS.LOGISTICS" in gaps

    assert client.get(f"/cohorts/students/{other.pk}/").status_code == 403
    assert client.get(f"/cohorts/students/{other.pk}/explain/OPS.PLATFORM/").status_code == 403
    assert client.get(f"/cohorts/students/{mine.pk}/explain/OPS.PLATFORM/").status_code == 200
    assert client.get(f"/cohorts/{mine.school_class.cohort_id}/").status_code == 403


def test_enterprise_tutor_is_refused_and_teacher_reads_any_profile(client, role_users, two_students):
    mine, other = two_students
    client.force_login(role_users["enterprise_tutor"])
    assert client.get(f"/cohorts/students/{mine.pk}/").status_code == 403
    client.force_login(role_users["teacher"])
    assert client.get(f"/cohorts/students/{other.pk}/").status_code == 200
