"""`cbec-talent demo` for the internship cycle: the demo tutor's enterprise and post, agreements of several kinds,
applications, a matching, the demo student's internship in progress, and a graduation audit that names the one
missing certificate. Running the demo again changes nothing."""

from __future__ import annotations

import pytest

from cbec_talent.certification import demo as certification_demo
from cbec_talent.certification.audit import graduation_audit
from cbec_talent.certification.models import HeldCertificate
from cbec_talent.cohorts import demo as cohorts_demo
from cbec_talent.cohorts.models import Grade, Student
from cbec_talent.demo import create_demo_users
from cbec_talent.partnerships import demo as partnerships_demo
from cbec_talent.partnerships.models import (
    Agreement,
    Application,
    CheckIn,
    MatchRun,
    Placement,
    TutorEvaluation,
    WeeklyLog,
)


@pytest.fixture
def demo(db, reference):
    create_demo_users()
    cohorts_demo.create_demo_data()
    partnerships_demo.create_demo_data()
    certification_demo.create_demo_data()


def _counts():
    models = (Agreement, Application, MatchRun, Placement, CheckIn, WeeklyLog, TutorEvaluation, HeldCertificate, Grade)
    return {m.__name__: m.objects.count() for m in models}


def test_demo_covers_the_whole_cycle_and_is_idempotent(demo):
    before = _counts()
    partnerships_demo.create_demo_data()
    certification_demo.create_demo_data()
    assert _counts() == before

    tutor_enterprise = Placement.objects.get(student__user__username="student").post.enterprise
    assert tutor_enterprise.members.filter(username="tutor").exists()
    assert tutor_enterprise.posts.filter(is_open=True).exists()
    kinds = set(Agreement.objects.values_list("kind", flat=True))
    assert {"order_class", "internship_base", "teaching_factory", "joint_development"} <= kinds
    assert Agreement.objects.filter(kind="order_class", quota__gt=0).exists()
    assert Application.objects.values("student").distinct().count() >= 10
    run = MatchRun.objects.get()
    assert run.placed > 0 and run.stable

    mine = Placement.objects.get(student__user__username="student")
    assert mine.school_tutor.username == "teacher" and mine.enterprise_tutor.username == "tutor"
    assert mine.reasons and mine.reasons[0]["code"] in ("placed", "manual")
    # the demo student's internship has not started (a new matching run may still move it); another one has
    assert not mine.checkins.exists() and not mine.weekly_logs.exists()
    under_way = Placement.objects.exclude(pk=mine.pk).filter(checkins__isnull=False).distinct().get()
    assert under_way.checkins.count() == 2 and under_way.weekly_logs.count() == 2
    assert under_way.weekly_logs.exclude(enterprise_comment="").exists()
    assert set(under_way.evaluations.values_list("kind", flat=True)) == {"school", "enterprise"}
    signed = TutorEvaluation.objects.filter(signed_off=True).values_list("placement__student__number", "kind")
    assert len(signed) == 2, "another intern's evaluations are signed off on both sides"


def test_demo_audit_names_the_missing_certificate_of_the_students_without_one(demo):
    graduate = graduation_audit(Student.objects.get(user__username="student"))
    assert graduate.passed and graduate.practice_certified and graduate.certificates
    student = Student.objects.get(number="20240009")
    audit = graduation_audit(student)
    assert "certificate" in [m.code for m in audit.missing]
    assert any("no recognised professional certificate" in m.message_en for m in audit.missing)
    holders = Student.objects.filter(held_certificates__isnull=False).distinct()
    assert holders.count() >= 5
    for other in holders:
        assert "certificate" not in [m.code for m in graduation_audit(other).missing], other.number
    assert HeldCertificate.objects.filter(certificate__code="CERT.CBEE").exists()
    assert HeldCertificate.objects.filter(certificate__isnull=True).exclude(name="").exists()


def test_placement_and_post_lists_take_a_fixed_number_of_queries(demo, client, django_assert_max_num_queries):
    from cbec_talent.accounts.models import User

    client.force_login(User.objects.get(username="director"))
    with django_assert_max_num_queries(11):  # 10 today for 7 placements; the reasons cost no query
        page = client.get("/partners/placements/")
    rows = page.content.decode().count('<td class="muted reasons">')
    assert rows == Placement.objects.count() >= 7
    assert "Got preference" in page.content.decode() or "志愿" in page.content.decode()
    with django_assert_max_num_queries(12):
        assert client.get("/partners/posts/").status_code == 200
