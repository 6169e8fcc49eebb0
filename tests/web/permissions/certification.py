"""Permission expectations of the certification app: staff read audits, administrators and directors enter
certificates, a student sees only their own audit, enterprise tutors get 403."""

STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
EDITORS = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}
EDITORS_POST = {**EDITORS, "administrator": 302, "director": 302}
C = "/certificates"

EXPECTATIONS = {
    # the student login is linked to a Student by the cohorts expectations' prepare; staff have none -> 404
    "certification:me": (
        f"{C}/me/",
        "get",
        {"administrator": 404, "director": 404, "teacher": 404, "enterprise_tutor": 403, "student": 302},
        302,
    ),
    "certification:cohort": (f"{C}/cohorts/{{cert_cohort}}/", "get", STAFF, 302),
    "certification:export": (f"{C}/cohorts/{{cert_cohort}}/audit.xlsx", "get", STAFF, 302),
    "certification:import": (f"{C}/cohorts/{{cert_cohort}}/import/", "get", EDITORS, 302),
    "certification:template": (f"{C}/cohorts/{{cert_cohort}}/template.xlsx", "get", EDITORS, 302),
    # another student's audit: 403 for the student role (their own audit, 200, is in test_certification.py;
    # the student login is already linked to a Student by the cohorts expectations)
    "certification:student": (f"{C}/students/{{cert_student}}/", "get", STAFF, 302),
    "certification:certificate_new": (f"{C}/students/{{cert_student}}/certificates/new/", "get", EDITORS, 302),
    "certification:practice": (f"{C}/students/{{cert_student}}/practice/", "post", EDITORS_POST, 302),
    "certification:certificate_delete": (
        f"{C}/held/{{cert_held}}/delete/",
        "post",
        {**EDITORS_POST, "director": 404},
        302,
    ),
}


def prepare(role_users, reference):
    import datetime as dt

    from cbec_talent.certification.models import HeldCertificate
    from cbec_talent.cohorts import services
    from cbec_talent.cohorts.models import SchoolClass, Student
    from cbec_talent.programmes.models import Programme

    programme = Programme.objects.get(code="P000-CBEC")
    cohort = services.cohort_create(programme=programme, intake_year=2024, name="cert-perm")
    klass = SchoolClass.objects.create(cohort=cohort, name="C1")
    student = Student.objects.create(number="C-OWN", name="own", school_class=klass)
    held = HeldCertificate.objects.create(student=student, name="skill", obtained=dt.date(2026, 1, 1))
    return {"cert_cohort": cohort.pk, "cert_student": student.pk, "cert_held": held.pk}
