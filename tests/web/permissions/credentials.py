"""Permission expectations of the credentials app: verification, the status list and the issuer key are public
(no sign-in); administrators and directors issue and revoke; staff read a student's credentials; a student only
their own (another student's: 403); enterprise tutors get 403."""

STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
EDITORS_POST = {"administrator": 302, "director": 302, "teacher": 403, "enterprise_tutor": 403, "student": 403}
PUBLIC = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 200}
C = "/credentials"

EXPECTATIONS = {
    "credentials:verify": (f"{C}/verify/", "get", PUBLIC, 200),
    "credentials:status_list": (f"{C}/status/1", "get", PUBLIC, 200),
    "credentials:issuer": (f"{C}/issuer", "get", PUBLIC, 200),
    "credentials:student": (f"{C}/students/{{vc_student}}/", "get", STAFF, 302),
    "credentials:issue": (f"{C}/students/{{vc_student}}/issue/", "post", EDITORS_POST, 302),
    "credentials:download": (f"{C}/{{vc_uuid}}.json", "get", STAFF, 302),
    "credentials:revoke": (f"{C}/{{vc_uuid}}/revoke/", "post", EDITORS_POST, 302),
}


def prepare(role_users, reference):
    from cbec_talent.cohorts import services
    from cbec_talent.cohorts.models import SchoolClass, Student
    from cbec_talent.credentials.models import IssuedCredential
    from cbec_talent.programmes.models import Programme

    programme = Programme.objects.get(code="P000-CBEC")
    cohort = services.cohort_create(programme=programme, intake_year=2024, name="vc-perm")
    klass = SchoolClass.objects.create(cohort=cohort, name="V1")
    student = Student.objects.create(number="VC-OWN", name="own", school_class=klass)
    credential = IssuedCredential.objects.create(student=student, kind="graduation", status_index=99_000, document={})
    return {"vc_student": student.pk, "vc_uuid": credential.uuid}
