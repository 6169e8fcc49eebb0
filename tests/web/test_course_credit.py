"""课证融通 and 学分认定: certificate modules mapped to courses with hours, the programme's certificate coverage
(modules no course prepares), crediting a passed certificate against a mapped course with the director's
approval and an audit entry, and the graduation audit counting it."""

from __future__ import annotations

import datetime as dt

import pytest

from cbec_talent.accounts.models import AuditLog
from cbec_talent.certification import credit, services
from cbec_talent.certification.catalogue import catalogue_load
from cbec_talent.certification.models import CatalogueCertificate, CatalogueModule, CourseCredit
from cbec_talent.cohorts import services as cohort_services
from cbec_talent.cohorts.models import AssessmentComponent, Grade, SchoolClass, Student
from cbec_talent.core.errors import CbecError
from cbec_talent.programmes.models import Programme


@pytest.fixture
def world(db, reference):
    """The sample programme with a plan on every course; a student passing everything but SP06 (3 credits, so
    module SP is 31/34); the B2C certificate's data-analysis module prepared by SP06."""
    catalogue_load()
    programme = Programme.objects.get(code="P000-CBEC")
    courses = list(programme.courses.order_by("order"))
    AssessmentComponent.objects.bulk_create(
        AssessmentComponent(course=c, code="EXAM", kind="practical_task", weight=100, competencies=[]) for c in courses
    )
    cohort = cohort_services.cohort_create(programme=programme, intake_year=2024, name="credit")
    klass = SchoolClass.objects.create(cohort=cohort, name="K1")
    student = Student.objects.create(number="K001", name="学生", school_class=klass)
    comps = {c.course_id: c for c in AssessmentComponent.objects.filter(course__in=courses)}
    Grade.objects.bulk_create(
        Grade(student=student, component=comps[c.pk], score=40 if c.code == "SP06" else 80) for c in courses
    )
    services.practice_certification_set(student=student, school_signed=True, enterprise_signed=True)
    b2c = CatalogueCertificate.objects.get(code="1X.B2C-DATA")
    by_code = {c.code: c for c in courses}
    credit.module_course_set(module=CatalogueModule.objects.get(code="B2C.M3"), course=by_code["SP06"], hours=24)
    credit.module_course_set(module=CatalogueModule.objects.get(code="B2C.M2"), course=by_code["SP05"], hours=16)
    return programme, student, b2c, by_code


def _held(student, cert, level):
    return services.held_certificate_create(
        student=student, catalogue=cert, level=level, obtained=dt.date(2026, 6, 1), evidence="X-1"
    )


def test_credit_counts_in_the_audit_only_after_the_director_approves(world, role_users):
    _p, student, b2c, courses = world
    held = _held(student, b2c, "中级")
    assert [m.code for m in services.graduation_audit(student).missing] == ["module:SP", "total"]
    request = credit.credit_request(held=held, course=courses["SP06"], actor=role_users["administrator"])
    assert request.status == CourseCredit.Status.PENDING
    assert "module:SP" in [m.code for m in services.graduation_audit(student).missing]
    credit.credit_decide(credit=request, approve=True, actor=role_users["director"])
    audit = services.graduation_audit(student)
    assert audit.passed, [m.text for m in audit.missing]
    sp06 = next(c for c in audit.courses if c.course.code == "SP06")
    assert sp06.passed and sp06.score == 40 and "1X.B2C-DATA" in sp06.credited_from
    entries = AuditLog.objects.filter(object_type="certification.CourseCredit").order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries.last().actor == role_users["director"]


def test_a_rejected_credit_does_not_count(world, role_users):
    _p, student, b2c, courses = world
    request = credit.credit_request(held=_held(student, b2c, "中级"), course=courses["SP06"])
    credit.credit_decide(credit=request, approve=False, actor=role_users["director"])
    assert "module:SP" in [m.code for m in services.graduation_audit(student).missing]
    with pytest.raises(CbecError):
        credit.credit_decide(credit=request, approve=True, actor=role_users["director"])


def test_only_a_mapped_course_at_the_held_level_can_be_credited(world):
    _p, student, b2c, courses = world
    junior = _held(student, b2c, "初级")
    assert [c.code for c in credit.creditable_courses(junior)] == ["SP06"]  # B2C.M2 (SP05) is 中级/高级 only
    with pytest.raises(CbecError) as exc:
        credit.credit_request(held=junior, course=courses["SP05"])
    assert "SP05" in str(exc.value.problems[0])
    with pytest.raises(CbecError):
        credit.credit_request(held=junior, course=courses["GC01"])
    named = services.held_certificate_create(student=student, name="某证书", obtained=dt.date(2026, 1, 1))
    with pytest.raises(CbecError):
        credit.credit_request(held=named, course=courses["SP06"])
    with pytest.raises(CbecError):
        _held(student, b2c, "特级")


def test_coverage_names_the_modules_no_course_prepares(world):
    programme, *_ = world
    coverage = {c.certificate.code: c for c in credit.programme_coverage(programme)}
    b2c = coverage["1X.B2C-DATA"]
    assert b2c.prepared == 2 and {m.module.code for m in b2c.unprepared} == {"B2C.M1", "B2C.M4"}
    assert b2c.hours == 40
    assert coverage["T-KJDZSW-0001-2023"].prepared == 0


def test_pages_request_and_approve(world, client, role_users):
    programme, student, b2c, courses = world
    held = _held(student, b2c, "中级")
    client.force_login(role_users["administrator"])
    page = client.get(f"/certificates/students/{student.pk}/").content.decode()
    assert f'data-held="{held.pk}"' in page
    client.post(f"/certificates/held/{held.pk}/credit/", {"course": courses["SP06"].pk})
    record = CourseCredit.objects.get(student=student)
    assert client.post(f"/certificates/credits/{record.pk}/decide/", {"decision": "approve"}).status_code == 403
    client.force_login(role_users["director"])
    client.post(f"/certificates/credits/{record.pk}/decide/", {"decision": "approve"})
    record.refresh_from_db()
    assert record.status == "approved"
    page = client.get(f"/certificates/students/{student.pk}/").content.decode()
    assert 'id="audit-result" data-passed="1"' in page and 'data-credited="1"' in page
    detail = client.get(f"/programmes/{programme.pk}/").content.decode()
    assert 'id="certificate-coverage"' in detail and "B2C.M1" in detail
    coverage = client.get(f"/certificates/programmes/{programme.pk}/coverage/").content.decode()
    assert 'data-module="B2C.M1" class="unprepared"' in coverage
    response = client.post(
        f"/certificates/programmes/{programme.pk}/coverage/add/",
        {
            "module": CatalogueModule.objects.get(code="B2C.M1").pk,
            "course": courses["SP01"].pk,
            "hours": 12,
        },
    )
    assert response.status_code == 302
    assert (
        'data-module="B2C.M1" class=""'
        in client.get(f"/certificates/programmes/{programme.pk}/coverage/").content.decode()
    )


def test_optimiser_prepares_a_certificate_at_a_level(world, capsys):
    from cbec_talent.cli import main

    programme, *_ = world
    needs = credit.certificate_needs(programme, "1X.B2C-DATA", "初级")
    assert [n.module for n in needs] == ["B2C.M1", "B2C.M3", "B2C.M4"]  # B2C.M2 is examined at 中级/高级 only
    assert needs[1].courses == ("SP06",) and needs[1].hours == (24.0,)
    code = main(["programme", "optimise", "P000-CBEC", "--certificate", "1X.B2C-DATA:中级", "--time-limit", "30",
                 "--json"])
    out = capsys.readouterr()
    assert code == 1  # B2C.M1 and B2C.M4 have no course in this fixture: a named conflict
    assert '"certificate_modules"' in out.out and "B2C.M" in out.out
    credit.module_course_set(module=CatalogueModule.objects.get(code="B2C.M1"), course=programme.courses.get(
        code="SP01"), hours=16)
    credit.module_course_set(module=CatalogueModule.objects.get(code="B2C.M4"), course=programme.courses.get(
        code="PR07"), hours=16)
    assert main(["programme", "optimise", "P000-CBEC", "--certificate", "1X.B2C-DATA:中级", "--time-limit", "30"]) == 0
    out = capsys.readouterr().out
    planned = " ".join(line for line in out.splitlines() if line.strip().startswith("semester"))
    assert all(c in planned.split() for c in ("SP01", "SP05", "SP06", "PR07"))
    assert main(["programme", "optimise", "P000-CBEC", "--certificate", "1X.B2C-DATA:特级"]) == 2
