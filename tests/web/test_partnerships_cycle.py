"""The internship cycle on a placement: tutors, check-ins, weekly logs and comments, both tutors' evaluations,
the consistency findings, and the enterprise evaluation written into a course grade."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from cbec_talent.accounts.models import AuditLog, Role, User, UserRole
from cbec_talent.cohorts import services as cohort_services
from cbec_talent.cohorts.models import Grade, SchoolClass, Student
from cbec_talent.core.errors import CbecError
from cbec_talent.partnerships import services
from cbec_talent.partnerships.findings import internship_findings
from cbec_talent.partnerships.models import Agreement, Enterprise, InternshipPost, Placement
from cbec_talent.programmes.models import Programme

D1, D2 = dt.date(2027, 7, 5), dt.date(2027, 7, 25)  # three weeks
AFTER = dt.date(2027, 8, 1)


def _user(name, role):
    user = User.objects.create_user(username=name, password="Correct-horse-42")
    UserRole.objects.create(user=user, role=role)
    return user


@pytest.fixture
def world(role_users):
    programme = Programme.objects.get(code="P000-CBEC")
    cohort = cohort_services.cohort_create(programme=programme, intake_year=2025, name="cy")
    klass = SchoolClass.objects.create(cohort=cohort, name="CY1")
    me = Student.objects.create(number="CY-1", name="me", school_class=klass, user=role_users["student"])
    other_login = _user("other_student", Role.STUDENT)
    other = Student.objects.create(number="CY-2", name="other", school_class=klass, user=other_login)
    alpha, beta = Enterprise.objects.create(name="Alpha"), Enterprise.objects.create(name="Beta")
    alpha.members.add(role_users["enterprise_tutor"])
    outsider = _user("beta_tutor", Role.ENTERPRISE_TUTOR)
    beta.members.add(outsider)
    post = InternshipPost.objects.create(enterprise=alpha, title="Operator", seats=2, start=D1, end=D2)
    mine = Placement.objects.create(student=me, post=post, manual=True)
    theirs = Placement.objects.create(student=other, post=post, manual=True)
    return {
        "placement": mine,
        "theirs": theirs,
        "other_login": other_login,
        "outsider": outsider,
        "alpha": alpha,
        "programme": programme,
    }


def _assign(client, role_users, placement):
    client.force_login(role_users["director"])
    response = client.post(
        f"/partners/placements/{placement.pk}/tutors/",
        {"school_tutor": role_users["teacher"].pk, "enterprise_tutor": role_users["enterprise_tutor"].pk},
    )
    assert response.status_code == 302
    placement.refresh_from_db()


def test_page_is_for_staff_the_enterprise_and_the_student_only(client, world, role_users):
    url = f"/partners/placements/{world['placement'].pk}/"
    for user in (role_users["teacher"], role_users["enterprise_tutor"], role_users["student"]):
        client.force_login(user)
        assert client.get(url).status_code == 200, user.username
    for user in (world["outsider"], world["other_login"]):
        client.force_login(user)
        assert client.get(url).status_code == 403, user.username
    client.force_login(world["outsider"])
    assert client.get("/partners/placements/").context["placements"] == []


def test_director_assigns_tutors_who_must_fit(client, world, role_users):
    placement = world["placement"]
    _assign(client, role_users, placement)
    assert placement.school_tutor == role_users["teacher"]
    assert placement.enterprise_tutor == role_users["enterprise_tutor"]
    with pytest.raises(CbecError):
        services.placement_update(placement=placement, enterprise_tutor=world["outsider"])
    with pytest.raises(CbecError):
        services.placement_update(placement=placement, school_tutor=role_users["student"])
    client.post(f"/partners/placements/{placement.pk}/tutors/", {"enterprise_tutor": world["outsider"].pk})
    placement.refresh_from_db()
    assert placement.enterprise_tutor == role_users["enterprise_tutor"], "an outsider is not offered"


def test_student_logs_and_both_tutors_comment(client, world, role_users):
    placement = world["placement"]
    _assign(client, role_users, placement)
    client.force_login(role_users["student"])
    client.post(f"/partners/placements/{placement.pk}/checkins/", {"date": "2027-07-06", "note": "arrived"})
    client.post(f"/partners/placements/{placement.pk}/logs/", {"week": "1", "text": "learnt the listing tool"})
    client.post(f"/partners/placements/{placement.pk}/logs/", {"week": "9", "text": "too late"})
    assert [c.note for c in placement.checkins.all()] == ["arrived"]
    assert [log.week for log in placement.weekly_logs.all()] == [1], "week 9 is past a three-week post"
    assert AuditLog.objects.filter(object_type="partnerships.WeeklyLog", action="create").count() == 1
    assert AuditLog.objects.filter(object_type="partnerships.CheckIn").exists()
    log = placement.weekly_logs.get()
    client.force_login(world["other_login"])
    assert client.post(f"/partners/placements/{placement.pk}/checkins/", {"date": "2027-07-06"}).status_code == 403
    client.force_login(role_users["teacher"])
    client.post(f"/partners/logs/{log.pk}/comment/", {"comment": "good start"})
    client.force_login(role_users["enterprise_tutor"])
    client.post(f"/partners/logs/{log.pk}/comment/", {"comment": "faster please"})
    client.force_login(world["outsider"])
    assert client.post(f"/partners/logs/{log.pk}/comment/", {"comment": "x"}).status_code == 403
    log.refresh_from_db()
    assert (log.school_comment, log.enterprise_comment) == ("good start", "faster please")


def test_each_tutor_evaluates_their_own_side(client, world, role_users):
    placement = world["placement"]
    _assign(client, role_users, placement)
    client.force_login(role_users["teacher"])
    client.post(f"/partners/placements/{placement.pk}/evaluate/", {"score": "82", "comment": "ok"})
    client.force_login(role_users["enterprise_tutor"])
    client.post(f"/partners/placements/{placement.pk}/evaluate/", {"score": "90", "signed_off": "on"})
    got = {e.kind: (e.by, e.score, e.signed_off) for e in placement.evaluations.all()}
    assert got == {
        "school": (role_users["teacher"], Decimal("82"), False),
        "enterprise": (role_users["enterprise_tutor"], Decimal("90"), True),
    }
    client.post(f"/partners/placements/{placement.pk}/evaluate/", {"score": "10"})
    assert placement.evaluations.get(kind="enterprise").score == Decimal("90"), "signed off is final"
    client.post(f"/partners/placements/{placement.pk}/evaluate/", {"score": "101"})
    assert placement.evaluations.count() == 2
    client.force_login(world["outsider"])
    assert client.post(f"/partners/placements/{placement.pk}/evaluate/", {"score": "50"}).status_code == 403


def test_findings_name_each_gap_and_clear_when_fixed(client, world, role_users):
    placement = world["placement"]
    services.checkin_create(placement=placement, date=dt.date(2027, 6, 30))
    services.weekly_log_save(placement=placement, week=2, text="w2")
    services.evaluation_save(placement=placement, by=None, kind="school", score=80, signed_off=True)
    with translation.override("en"):
        text = " | ".join(internship_findings(placement, today=AFTER))
        mid = internship_findings(placement, today=dt.date(2027, 7, 13))
    assert "No internship base agreement with Alpha" in text
    assert "2027-06-30" in text
    assert "Weeks without a weekly log: 1, 3." in text
    assert "Signed off by the school tutor only." in text
    assert "The enterprise tutor's evaluation is missing." in text
    assert "school tutor's evaluation is missing" not in text
    assert "Weeks without a weekly log: 1." in mid and not any("missing" in f for f in mid)

    Agreement.objects.create(enterprise=world["alpha"], kind="order_class", title="x", start=D1, end=D2)
    assert len(internship_findings(placement, today=AFTER)) == 5, "an order-class agreement is not a base"
    Agreement.objects.create(
        enterprise=world["alpha"], kind="internship_base", title="base", start=dt.date(2027, 1, 1), end=D2
    )
    placement.checkins.all().delete()
    for week in (1, 3):
        services.weekly_log_save(placement=placement, week=week, text="w")
    services.evaluation_save(placement=placement, by=None, kind="enterprise", score=88, signed_off=True)
    assert internship_findings(placement, today=AFTER) == []

    services.checkin_create(placement=world["theirs"], date=dt.date(2027, 9, 1))
    client.force_login(role_users["director"])
    rows = {pl.pk: pl.findings for pl in client.get("/partners/placements/").context["placements"]}
    assert rows[placement.pk] == [] and len(rows[world["theirs"].pk]) == 1
    assert client.get(f"/partners/placements/{placement.pk}/").context["findings"] == []


def test_enterprise_evaluation_becomes_the_course_grade(client, world, role_users):
    placement = world["placement"]
    course = world["programme"].courses.get(code="SP01")
    cohort_services.plan_save(
        course=course,
        components=[
            {"code": "EXAM", "kind": "theory_exam", "weight": 60, "competencies": []},
            {"code": "ENT", "kind": "enterprise_tutor", "weight": 40, "competencies": []},
        ],
    )
    ent = course.assessment_components.get(code="ENT")
    exam = course.assessment_components.get(code="EXAM")
    url = f"/partners/placements/{placement.pk}/grade/"
    client.force_login(role_users["director"])
    client.post(url, {"component": ent.pk})
    assert not Grade.objects.filter(component=ent).exists(), "no signed-off enterprise evaluation yet"
    services.evaluation_save(placement=placement, by=None, kind="school", score=70, signed_off=True)
    services.evaluation_save(placement=placement, by=None, kind="enterprise", score=Decimal("86.5"), signed_off=True)
    assert list(
        client.get(f"/partners/placements/{placement.pk}/").context["grade_form"].fields["component"].queryset
    ) == [ent]
    client.post(url, {"component": exam.pk})
    assert not Grade.objects.filter(component=exam).exists(), "only an enterprise tutor component"
    with pytest.raises(CbecError):
        services.evaluation_to_grade(placement=placement, component=exam)
    assert client.post(url, {"component": ent.pk}).status_code == 302
    grade = Grade.objects.get(student=placement.student, component=ent)
    assert grade.score == Decimal("86.5") and grade.entered_by == role_users["director"]
    client.force_login(role_users["teacher"])
    assert client.post(url, {"component": ent.pk}).status_code == 403
