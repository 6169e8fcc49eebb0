"""A director keeps the alliance up to date: an enterprise's details and tutors, and agreements of each kind the
papers name; an enterprise tutor sees their own enterprise's page and not another's."""

from __future__ import annotations

import datetime as dt

import pytest

from cbec_talent.accounts.models import AuditLog
from cbec_talent.core.errors import CbecError
from cbec_talent.partnerships import services_alliance as services
from cbec_talent.partnerships.models import Agreement, Enterprise


@pytest.fixture
def firm(db):
    return Enterprise.objects.create(name="Yiwu Global Trade", city="Yiwu", platforms=["Amazon"])


def test_director_adds_an_order_class_agreement_and_sees_it_on_the_page(client_for, role_users, firm):
    client = client_for(role_users["director"])
    response = client.post(
        f"/partners/enterprises/{firm.pk}/agreements/",
        {
            "kind": "order_class",
            "title": "Amazon order class 2027",
            "start": "2026-09-01",
            "end": "2027-06-30",
            "quota": "30",
            "school_commitments": "Teach the platform operation modules",
            "enterprise_commitments": "Hire at least 20 graduates",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(enterprise=firm)
    assert (agreement.kind, agreement.quota) == ("order_class", 30)
    page = client.get(f"/partners/enterprises/{firm.pk}/").content.decode()
    assert "Amazon order class 2027" in page and "Hire at least 20 graduates" in page
    assert AuditLog.objects.filter(object_type="partnerships.Agreement", object_id=str(agreement.pk)).exists()


def test_an_order_class_without_a_quota_is_refused_with_the_field_named(client_for, role_users, firm):
    client = client_for(role_users["director"])
    response = client.post(
        f"/partners/enterprises/{firm.pk}/agreements/",
        {"kind": "order_class", "title": "No quota", "start": "2026-09-01", "end": "2027-06-30"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert not Agreement.objects.exists()
    assert response.context["agreement_form"].errors["quota"]


def test_dates_in_the_wrong_order_are_refused(firm):
    with pytest.raises(CbecError) as exc:
        services.agreement_create(
            enterprise=firm, kind="teaching_factory", title="TF", start=dt.date(2027, 1, 1), end=dt.date(2026, 1, 1)
        )
    assert exc.value.problems[0].field == "end"
    assert not Agreement.objects.exists()


def test_every_kind_of_agreement_the_papers_name_can_be_recorded(firm):
    for kind in ("order_class", "teaching_factory", "internship_base", "joint_development", "competition"):
        services.agreement_create(
            enterprise=firm, kind=kind, title=kind, start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31), quota=10
        )
    assert Agreement.objects.filter(enterprise=firm).count() == 5


def test_tutors_must_exist_and_hold_the_role(firm, role_users):
    with pytest.raises(CbecError) as exc:
        services.enterprise_tutors_set(enterprise=firm, usernames=["nobody", role_users["student"].username])
    messages = [str(p.message) for p in exc.value.problems]
    assert len(messages) == 2 and any("nobody" in m for m in messages)
    assert not firm.members.exists()
    services.enterprise_tutors_set(enterprise=firm, usernames=[role_users["enterprise_tutor"].username])
    assert list(firm.members.all()) == [role_users["enterprise_tutor"]]


def test_director_edits_the_enterprise(client_for, role_users, firm):
    client = client_for(role_users["director"])
    response = client.post(
        f"/partners/enterprises/{firm.pk}/edit/",
        {"name": "Yiwu Global Trade", "city": "Jinhua", "size": "medium", "platforms": "Amazon, 速卖通", "markets": ""},
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert (firm.city, firm.size, firm.platforms) == ("Jinhua", "medium", ["Amazon", "速卖通"])


def test_an_enterprise_tutor_sees_only_their_own_enterprise(client_for, role_users, firm):
    other = Enterprise.objects.create(name="Other Co")
    firm.members.add(role_users["enterprise_tutor"])
    client = client_for(role_users["enterprise_tutor"])
    page = client.get(f"/partners/enterprises/{firm.pk}/")
    assert page.status_code == 200 and "agreement-form" not in page.content.decode()
    assert client.get(f"/partners/enterprises/{other.pk}/").status_code == 403


@pytest.fixture
def applicants(role_users, firm):
    from cbec_talent.cohorts import services as cohort_services
    from cbec_talent.cohorts.models import SchoolClass, Student
    from cbec_talent.partnerships import services as match_services
    from cbec_talent.partnerships.models import InternshipPost
    from cbec_talent.programmes.models import Programme

    cohort = cohort_services.cohort_create(
        programme=Programme.objects.get(code="P000-CBEC"), intake_year=2025, name="rank"
    )
    klass = SchoolClass.objects.create(cohort=cohort, name="R1")
    firm.members.add(role_users["enterprise_tutor"])
    post = InternshipPost.objects.create(
        enterprise=firm, title="Shopee operator", seats=2, start=dt.date(2027, 7, 1), end=dt.date(2027, 8, 31)
    )
    students = [Student.objects.create(number=f"R-{i}", name=f"r{i}", school_class=klass) for i in range(4)]
    for s in students:
        match_services.applications_set(student=s, posts=[post])
    return post, students


def test_the_enterprise_ranks_and_declines_applicants_and_the_matching_follows(client_for, role_users, applicants):
    from cbec_talent.partnerships import services as match_services
    from cbec_talent.partnerships.models import Placement

    post, students = applicants
    by_number = {a.student.number: a.pk for a in post.applications.select_related("student")}
    client = client_for(role_users["enterprise_tutor"])
    # with equal fit, R-0 and R-1 would win on student number; the enterprise wants R-3 first and declines R-0
    response = client.post(
        f"/partners/posts/{post.pk}/ranking/",
        {f"rank_{by_number['R-3']}": "1", f"rank_{by_number['R-0']}": "", f"declined_{by_number['R-0']}": "on"},
    )
    assert response.status_code == 302
    run = match_services.match_run()
    placed = sorted(Placement.objects.filter(post=post).values_list("student__number", flat=True))
    assert placed == ["R-1", "R-3"] and run.stable


def test_a_ranking_with_two_equal_ranks_is_refused_and_nothing_changes(client_for, role_users, applicants):
    post, _students = applicants
    ids = list(post.applications.values_list("pk", flat=True))
    client = client_for(role_users["enterprise_tutor"])
    response = client.post(
        f"/partners/posts/{post.pk}/ranking/", {f"rank_{ids[0]}": "1", f"rank_{ids[1]}": "1"}, follow=True
    )
    assert "1" in response.content.decode() and response.status_code == 200
    assert not post.applications.filter(enterprise_rank__isnull=False).exists()
    assert any("rank" in str(m).lower() or "名次" in str(m) for m in response.context["messages"])


def test_the_enterprise_page_lists_its_part_time_teachers_and_their_courses(client_for, role_users, firm):
    from cbec_talent.faculty import services as faculty_services
    from cbec_talent.programmes.models import Programme

    course = Programme.objects.get(code="P000-CBEC").courses.get(code="SP01")
    faculty_services.teacher_create(number="E-77", name="Ms Lin", kind="enterprise", enterprise=firm, courses=[course])
    page = client_for(role_users["director"]).get(f"/partners/enterprises/{firm.pk}/").content.decode()
    assert "E-77 Ms Lin" in page and "SP01" in page


def test_an_agreement_a_class_selection_is_based_on_cannot_be_deleted(client_for, role_users, firm):
    from cbec_talent.selection.services import selection_create

    agreement = services.agreement_create(
        enterprise=firm,
        kind="order_class",
        title="Order 27",
        start=dt.date(2026, 9, 1),
        end=dt.date(2027, 6, 30),
        quota=5,
    )
    selection_create(kind="order_class", title="Order 27 selection", agreement=agreement)
    response = client_for(role_users["director"]).post(f"/partners/agreements/{agreement.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    assert any("Order 27 selection" in str(m) for m in response.context["messages"])


def test_a_new_matching_run_keeps_internships_under_way_with_their_logs(applicants):
    from cbec_talent.partnerships import services as match_services
    from cbec_talent.partnerships.models import Placement

    post, students = applicants
    match_services.match_run()
    started = Placement.objects.get(student__number="R-1")
    match_services.checkin_create(placement=started, date=dt.date(2027, 7, 1), note="day one")
    # the enterprise now ranks first: only the seat not yet under way is reassigned
    ids = {a.student.number: a.pk for a in post.applications.select_related("student")}
    services.applicant_ranking_set(post=post, ranks={ids["R-2"]: 1, ids["R-3"]: 2}, declined=set())
    run = match_services.match_run()
    placed = sorted(Placement.objects.filter(post=post).values_list("student__number", flat=True))
    assert placed == ["R-1", "R-2"] and run.stable
    assert Placement.objects.get(pk=started.pk).checkins.count() == 1


def test_the_post_page_shows_applicants_with_fit_and_the_ranking_form_to_the_enterprise(
    client_for, role_users, applicants
):
    post, _students = applicants
    tutor_page = client_for(role_users["enterprise_tutor"]).get(f"/partners/posts/{post.pk}/").content.decode()
    assert 'id="ranking-form"' in tutor_page and 'data-student="R-3"' in tutor_page
    teacher_page = client_for(role_users["teacher"]).get(f"/partners/posts/{post.pk}/").content.decode()
    assert 'data-student="R-3"' in teacher_page and 'id="ranking-form"' not in teacher_page


def test_a_teacher_who_is_also_another_enterprises_tutor_cannot_rank_here(client_for, make_user, applicants):
    post, _students = applicants
    both = make_user("teacher_and_tutor", "teacher", "enterprise_tutor")
    assert client_for(both).post(f"/partners/posts/{post.pk}/ranking/", {}).status_code == 403
