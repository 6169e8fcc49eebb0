"""Demo graduation audit: the demo login "student" (20240001) graduates: his complete record is entered through
the services (an assessment plan for every course of the programme that has none, his enrolment and passing
grades in each, his practice certified by school and enterprise, the 1+X B2C data operation certificate), so
his double-certificate audit passes and his graduation credential can be issued. Recognised certificates for
some other demo students (the framework's cross-border e-commerce engineer certificate or a 1+X vocational skill
certificate) but none for 20240009 and later, whose audits name the missing certificate (and their credits);
one practice certification recorded by staff for a student without a matched internship.

Idempotent: a student who already holds a certificate (or has a practice certification) is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cbec_talent.accounts.models import User
from cbec_talent.cohorts.models import Student
from cbec_talent.competencies.models import Certificate

from . import catalogue, services
from .models import HeldCertificate, PracticeCertification

GRADUATE = "20240001"  # the demo login "student"
WITHOUT_CERTIFICATE = "20240009"
#: the plan of a course the demo has no plan for (the college rule wants practice in every course)
GRADUATE_PLAN = [
    {"code": "EXAM", "kind": "theory_exam", "weight": 50, "competencies": []},
    {"code": "TASK", "kind": "practical_task", "weight": 50, "competencies": []},
]
SKILL_CERTIFICATE = ("1+X 跨境电子商务多平台运营职业技能等级证书", "中级 Intermediate")


# 课证融通 of the sample programme: module -> [(course code, hours)]. Modules of the other certificates are left
# unmapped on purpose, so the coverage page shows modules no course prepares.
SAMPLE_MAPPING = {
    ("1X.B2C-DATA", "B2C.M1"): [("SP01", 16), ("PR04", 16)],
    ("1X.B2C-DATA", "B2C.M2"): [("SP05", 16)],
    ("1X.B2C-DATA", "B2C.M3"): [("SP06", 24), ("PR05", 16)],
    ("1X.B2C-DATA", "B2C.M4"): [("SP02", 8), ("PR07", 16)],
    ("1X.B2B-DATA", "B2B.M1"): [("SP01", 8)],
    ("1X.B2B-DATA", "B2B.M2"): [("SP05", 8)],
    ("1X.B2B-DATA", "B2B.M3"): [("SP07", 16)],
    ("1X.B2B-DATA", "B2B.M4"): [("SP06", 8)],
    ("P003.CBEE", "P003.BA.OP"): [("SP01", 24), ("SP05", 16), ("BS05", 16), ("SP09", 8), ("SP10", 8), ("PR08", 32)],
    ("P003.CBEE", "P003.BA.DA"): [("SP06", 24), ("PR05", 16)],
    ("P003.CBEE", "P003.BA.RD"): [("SP12", 24)],
}


def _map_sample_programme() -> None:
    from cbec_talent.programmes.models import Programme

    from . import credit
    from .models import CatalogueModule

    programme = Programme.objects.filter(code="P000-CBEC").order_by("-created_at").first()
    if programme is None:
        return
    courses = {c.code: c for c in programme.courses.all()}
    for (cert, module_code), links in SAMPLE_MAPPING.items():
        module = CatalogueModule.objects.filter(certificate__code=cert, code=module_code).first()
        for course_code, hours in links:
            if module is not None and course_code in courses:
                credit.module_course_set(module=module, course=courses[course_code], hours=hours)


def _graduate(student: Student, director) -> None:
    """20240001's record over the whole programme, entered as the college would: plans, enrolments, grades
    (deterministic, 72-94), practice certified by both sides, a catalogue certificate. Idempotent."""
    from decimal import Decimal

    from cbec_talent.cohorts import services as cohorts_services
    from cbec_talent.cohorts.models import Enrolment, Grade

    from .models import CatalogueCertificate

    programme = student.school_class.cohort.programme
    courses = list(programme.courses.prefetch_related("assessment_components").order_by("order"))
    for course in courses:
        if not course.assessment_components.all():
            cohorts_services.plan_save(course=course, components=GRADUATE_PLAN)
    graded = set(Grade.objects.filter(student=student).values_list("component_id", flat=True))
    enrolled = set(Enrolment.objects.filter(student=student).values_list("course_id", flat=True))
    for k, course in enumerate(courses):
        if course.pk not in enrolled:
            Enrolment.objects.create(student=student, course=course, term=(course.semesters or [1])[0])
        for j, component in enumerate(course.assessment_components.order_by("order", "id")):
            if component.pk not in graded:
                score = Decimal(72 + (7 * k + 5 * j) % 23)
                cohorts_services.grade_set(student=student, component=component, score=score, actor=director)
    if not PracticeCertification.objects.filter(student=student).exists():
        services.practice_certification_set(
            student=student,
            school_signed=True,
            enterprise_signed=True,
            note="跟岗实习（第四学期，合作企业） Placement in the fourth semester at a partner enterprise",
            actor=director,
        )
    b2c = CatalogueCertificate.objects.filter(code="1X.B2C-DATA").first()
    if b2c is not None and not student.held_certificates.exists():
        services.held_certificate_create(
            student=student,
            catalogue=b2c,
            level="中级",
            obtained=dt.date(2026, 6, 13),
            evidence="1+X 证书查询平台 No. X-2026-B2C-0001",
            actor=director,
        )


@transaction.atomic
def create_demo_data() -> None:
    catalogue.catalogue_load()  # the certificate catalogue (idempotent: matched by code)
    _map_sample_programme()
    director = User.objects.filter(username="director").first()
    students = list(
        Student.objects.filter(number__startswith="2024").select_related("school_class__cohort").order_by("number")
    )
    graduate = next((s for s in students if s.number == GRADUATE), None)
    if graduate is not None:
        _graduate(graduate, director)
    for i, student in enumerate(students[:8]):
        if student.number == GRADUATE or student.held_certificates.exists():
            continue
        programme = student.school_class.cohort.programme
        engineer = (
            Certificate.objects.filter(framework_id=programme.framework_id, code="CERT.CBEE").first()
            if programme.framework_id
            else None
        )
        if i % 2 and engineer is not None:
            services.held_certificate_create(
                student=student,
                certificate=engineer,
                obtained=dt.date(2026, 6, 20),
                evidence=f"证书编号 CBEE-2026-{i:04d}",
                actor=director,
            )
        else:
            name, level = SKILL_CERTIFICATE
            services.held_certificate_create(
                student=student,
                name=name,
                level=level,
                obtained=dt.date(2026, 5, 30),
                evidence=f"1+X 证书查询平台 No. X-2026-{i:04d}",
                actor=director,
            )
    if len(students) > 9 and not PracticeCertification.objects.filter(student=students[9]).exists():
        services.practice_certification_set(
            student=students[9],
            school_signed=True,
            enterprise_signed=True,
            note="寒假企业实践 Winter practice at a partner enterprise",
            actor=director,
        )
    assert not HeldCertificate.objects.filter(student__number=WITHOUT_CERTIFICATE).exists()
