"""Permission expectations of 课证融通 / 学分认定: staff read a programme's certificate coverage; administrators and
directors map modules to courses and request course credit; only the director role approves."""

STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
EDITORS_POST = {"administrator": 302, "director": 302, "teacher": 403, "enterprise_tutor": 403, "student": 403}
DIRECTOR_POST = {"administrator": 403, "director": 302, "teacher": 403, "enterprise_tutor": 403, "student": 403}
C = "/certificates"

EXPECTATIONS = {
    "certification:coverage": (f"{C}/programmes/{{prog}}/coverage/", "get", STAFF, 302),
    "certification:coverage_add": (f"{C}/programmes/{{prog}}/coverage/add/", "post", EDITORS_POST, 302),
    # the first editor removes the link, the second finds it gone
    "certification:coverage_delete": (
        f"{C}/coverage/{{cc_link}}/delete/",
        "post",
        {**EDITORS_POST, "director": 404},
        302,
    ),
    "certification:credit_request": (f"{C}/held/{{cc_held}}/credit/", "post", EDITORS_POST, 302),
    "certification:credit_decide": (f"{C}/credits/{{cc_credit}}/decide/", "post", DIRECTOR_POST, 302),
}


def prepare(role_users, reference):
    import datetime as dt

    from cbec_talent.certification.catalogue import catalogue_load
    from cbec_talent.certification.models import (
        CatalogueCertificate,
        CatalogueModule,
        CourseCredit,
        HeldCertificate,
        ModuleCourse,
    )
    from cbec_talent.cohorts import services
    from cbec_talent.cohorts.models import SchoolClass, Student
    from cbec_talent.programmes.models import Programme

    catalogue_load()
    programme = Programme.objects.get(code="P000-CBEC")
    cohort = services.cohort_create(programme=programme, intake_year=2024, name="credit-perm")
    klass = SchoolClass.objects.create(cohort=cohort, name="K1")
    student = Student.objects.create(number="CC-OWN", name="own", school_class=klass)
    cert = CatalogueCertificate.objects.get(code="1X.B2C-DATA")
    held = HeldCertificate.objects.create(
        student=student, catalogue=cert, name=cert.name_zh, level="中级", obtained=dt.date(2026, 1, 1)
    )
    course = programme.courses.get(code="SP06")
    link = ModuleCourse.objects.create(module=CatalogueModule.objects.get(code="B2C.M3"), course=course, hours=8)
    credit = CourseCredit.objects.create(student=student, held=held, course=course)
    return {"cc_held": held.pk, "cc_credit": credit.pk, "cc_link": link.pk}
