"""Internship matching: students rank posts, posts rank by fit, the result is stable and capacity-respecting and
explained; an enterprise tutor sees only their own enterprise's posts and interns."""

from __future__ import annotations

import datetime as dt

import pytest

from cbec_talent.accounts.models import Role, User, UserRole
from cbec_talent.cohorts import services as cohort_services
from cbec_talent.cohorts.models import Grade, SchoolClass, Student
from cbec_talent.core.errors import CbecError
from cbec_talent.partnerships import services
from cbec_talent.partnerships.models import Enterprise, InternshipPost, Placement
from cbec_talent.programmes.models import Programme

D1, D2 = dt.date(2027, 7, 1), dt.date(2027, 8, 31)


@pytest.fixture
def world(role_users):
    programme = Programme.objects.get(code="P000-CBEC")
    course = programme.courses.get(code="SP01")
    cohort_services.plan_save(
        course=course,
        components=[
            {"code": "EXAM", "kind": "theory_exam", "weight": 50, "competencies": []},
            {"code": "OPS", "kind": "platform_operation", "weight": 50, "competencies": ["OPS.PLATFORM"]},
        ],
    )
    cohort = cohort_services.cohort_create(programme=programme, intake_year=2025, name="m")
    klass = SchoolClass.objects.create(cohort=cohort, name="M1")
    students = []
    for i, score in enumerate((95, 60, 80)):
        s = Student.objects.create(number=f"M-{i}", name=f"s{i}", school_class=klass)
        for comp in course.assessment_components.all():
            Grade.objects.create(student=s, component=comp, score=score)
        students.append(s)
    a = Enterprise.objects.create(name="Alpha Trade")
    b = Enterprise.objects.create(name="Beta Store")
    tutor_a = role_users["enterprise_tutor"]
    a.members.add(tutor_a)
    tutor_b = User.objects.create_user(username="tutor_b", password="Correct-horse-42")
    UserRole.objects.create(user=tutor_b, role=Role.ENTERPRISE_TUTOR)
    b.members.add(tutor_b)
    ops = InternshipPost.objects.create(
        enterprise=a, title="Amazon operator", seats=1, start=D1, end=D2, requirements={"OPS.PLATFORM": "master"}
    )
    cs = InternshipPost.objects.create(
        enterprise=b, title="Customer service", seats=2, start=D1, end=D2, requirements={"OPS.SERVICE": "apply"}
    )
    for s in students:  # everybody wants the Amazon post first
        services.applications_set(student=s, posts=[ops, cs])
    return {"students": students, "ops": ops, "cs": cs, "tutor_a": tutor_a, "tutor_b": tutor_b}


def test_matching_is_stable_respects_seats_and_explains(world):
    run = services.match_run()
    assert run.stable and run.placed == 3 and run.students == 3
    best = Placement.objects.get(post=world["ops"])
    assert best.student.number == "M-0", "the best OPS.PLATFORM attainment gets the one Amazon seat"
    others = Placement.objects.filter(post=world["cs"])
    assert others.count() == 2
    m2 = Placement.objects.get(student__number="M-2")
    placed, fit, higher = m2.reasons
    assert (placed["code"], placed["preference"], placed["post_id"]) == ("placed", 2, world["cs"].pk)
    assert fit["code"] == "fit" and fit["met"] == ["OPS.SERVICE"] and "missing" not in fit  # 80 >= "apply"
    m1_fit = Placement.objects.get(student__number="M-1").reasons[1]
    assert [(g["code"], round(g["attained"], 2)) for g in m1_fit["missing"]] == [("OPS.SERVICE", 0.6)]
    assert (higher["code"], higher["post_id"], higher["seats"]) == ("higher_full", world["ops"].pk, 1)
    assert (higher["cutoff_rank"], higher["student_rank"]) == (1, 2), "M-0 took the seat, M-2 ranked second"
    assert "Amazon operator" in m2.explanation and "seats went to applicants ranked higher" in m2.explanation


def test_placement_page_gives_the_reasons_in_the_users_language(client, world, role_users):
    services.match_run()
    m2 = Placement.objects.get(student__number="M-2")
    client.force_login(role_users["teacher"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/partners/placements/{m2.pk}/").content.decode()
    assert "Preference 1, Alpha Trade · Amazon operator: all 1 seats went to applicants ranked higher" in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = client.get(f"/partners/placements/{m2.pk}/").content.decode()
    assert "第 1 志愿 Alpha Trade · Amazon operator：1 个名额已全部录取排名更靠前的申请者" in chinese
    assert "已达到的岗位能力要求：OPS.SERVICE。" in chinese
    listing = client.get("/partners/placements/").content.decode()
    assert "获得第 2 志愿 Beta Store · Customer service" in listing


def test_moving_a_student_by_hand_is_audited_and_says_who_did_it(client, world, role_users):
    from cbec_talent.accounts.models import AuditLog

    services.match_run()
    m2 = Placement.objects.get(student__number="M-2")
    client.force_login(role_users["director"])
    world["ops"].seats = 2
    world["ops"].save()
    response = client.post(f"/partners/placements/{m2.pk}/tutors/", {"post": world["ops"].pk})
    assert response.status_code == 302
    m2.refresh_from_db()
    assert m2.post == world["ops"] and m2.manual
    director = role_users["director"].username
    assert m2.reasons == [
        {
            "code": "manual",
            "by": director,
            "post_id": world["ops"].pk,
            "post_label": str(world["ops"]),
            "previous": str(world["cs"]),
        }
    ]
    assert m2.explanation == f"Changed by hand by {director} (the matching had given {world['cs']})."
    chinese = client.get(f"/partners/placements/{m2.pk}/").content.decode()  # Chinese is the default
    assert f"由 {director} 人工调整（匹配结果原为 {world['cs']}）。" in chinese
    audit = AuditLog.objects.filter(object_type="partnerships.Placement", object_id=str(m2.pk), action="update")
    assert audit.filter(actor=role_users["director"]).exists()
    services.match_run()
    m2.refresh_from_db()
    assert m2.post == world["ops"] and m2.reasons[0]["code"] == "manual", "a new matching run keeps a hand edit"


def test_preferences_are_validated(world):
    with pytest.raises(CbecError):
        services.applications_set(student=world["students"][0], posts=[world["ops"], world["ops"]])
    world["cs"].is_open = False
    world["cs"].save()
    with pytest.raises(CbecError):
        services.applications_set(student=world["students"][0], posts=[world["cs"]])


def test_enterprise_tutor_sees_only_their_own_posts_and_interns(client, world):
    services.match_run()
    client.force_login(world["tutor_a"])
    posts = {p.title for p in client.get("/partners/posts/").context["posts"]}
    assert posts == {"Amazon operator"}
    assert client.get(f"/partners/posts/{world['cs'].pk}/").status_code == 403
    interns = {pl.student.number for pl in client.get("/partners/placements/").context["placements"]}
    assert interns == {"M-0"}
    client.force_login(world["tutor_b"])
    interns = {pl.student.number for pl in client.get("/partners/placements/").context["placements"]}
    assert interns == {"M-1", "M-2"}


def test_student_applies_through_the_page_and_sees_the_placement(client, world, role_users):
    student = world["students"][2]
    student.user = role_users["student"]
    student.save()
    client.force_login(role_users["student"])
    response = client.post("/partners/apply/", {"p1": str(world["cs"].pk), "p2": str(world["ops"].pk)})
    assert response.status_code == 302
    assert [a.post for a in student.applications.order_by("preference")] == [world["cs"], world["ops"]]
    services.match_run()
    page = client.get("/partners/apply/")
    assert page.context["placement"].post == world["cs"]


def test_director_runs_the_matching_from_the_page(client, world, role_users):
    client.force_login(role_users["director"])
    assert client.post("/partners/match/").status_code == 302
    page = client.get("/partners/placements/")
    assert page.context["run"].stable and len(page.context["placements"]) == 3
