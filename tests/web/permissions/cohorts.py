"""Permission expectations of the cohorts app: directors and administrators manage, teachers enter grades and
read reports, a student sees only their own profile, enterprise tutors get 403 for now."""


def _pdf_ok() -> bool:
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    from cbec_talent.core.pdf import cjk_font_available

    return cjk_font_available()


STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
EDITORS = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}
EDITORS_POST = {**EDITORS, "administrator": 302, "director": 302}
PDF = {**STAFF, **{r: (200 if _pdf_ok() else 302) for r in ("administrator", "director", "teacher")}}
C = "/cohorts"

EXPECTATIONS = {
    "cohorts:list": (f"{C}/", "get", STAFF, 302),
    "cohorts:create": (f"{C}/new/", "post", EDITORS_POST, 302),
    "cohorts:rules": (f"{C}/rules/", "get", EDITORS, 302),
    "cohorts:me": (
        f"{C}/me/",
        "get",
        {"administrator": 404, "director": 404, "teacher": 404, "enterprise_tutor": 403, "student": 302},
        302,
    ),
    "cohorts:cohort": (f"{C}/{{coh_cohort}}/", "get", STAFF, 302),
    "cohorts:class_create": (f"{C}/{{coh_cohort}}/classes/new/", "post", EDITORS_POST, 302),
    "cohorts:student_import": (f"{C}/{{coh_cohort}}/students/import/", "get", EDITORS, 302),
    "cohorts:student_template": (f"{C}/{{coh_cohort}}/students/template.xlsx", "get", EDITORS, 302),
    "cohorts:enrolment_import": (f"{C}/{{coh_cohort}}/enrolments/import/", "get", EDITORS, 302),
    "cohorts:enrolment_template": (f"{C}/{{coh_cohort}}/enrolments/template.xlsx", "get", STAFF, 302),
    "cohorts:cohort_explain": (f"{C}/{{coh_cohort}}/explain/OPS.PLATFORM/", "get", STAFF, 302),
    "cohorts:export_xlsx": (f"{C}/{{coh_cohort}}/report.xlsx", "get", STAFF, 302),
    "cohorts:export_pdf": (f"{C}/{{coh_cohort}}/report.pdf", "get", PDF, 302),
    "cohorts:class": (f"{C}/classes/{{coh_class}}/", "get", STAFF, 302),
    "cohorts:grades": (f"{C}/classes/{{coh_class}}/grades/{{coh_course}}/", "get", STAFF, 302),
    "cohorts:grade_template": (f"{C}/classes/{{coh_class}}/grades/{{coh_course}}/template.xlsx", "get", STAFF, 302),
    "cohorts:grade_import": (
        f"{C}/classes/{{coh_class}}/grades/{{coh_course}}/import/",
        "post",
        {**STAFF, "administrator": 400, "director": 400, "teacher": 400},
        302,
    ),
    "cohorts:grades_from_practice": (
        f"{C}/classes/{{coh_class}}/grades/{{coh_course}}/practice/",
        "post",
        {**STAFF, "administrator": 404, "director": 404, "teacher": 404},
        302,
    ),
    "cohorts:student": (f"{C}/students/{{coh_student}}/", "get", STAFF, 302),
    "cohorts:student_explain": (f"{C}/students/{{coh_student}}/explain/OPS.PLATFORM/", "get", STAFF, 302),
    "cohorts:plans": (f"{C}/programmes/{{prog}}/plans/", "get", STAFF, 302),
    "cohorts:plan_edit": (f"{C}/programmes/{{prog}}/plans/SP01/", "get", EDITORS, 302),
    "cohorts:objectives": (f"{C}/classes/{{coh_class}}/objectives/{{coh_course}}/", "get", STAFF, 302),
    # directors and the course's own teachers (a teacher who does not teach the course: 403; see test_course_objectives)
    "cohorts:objectives_define": (f"{C}/courses/{{coh_course}}/objectives/", "get", EDITORS, 302),
    "cohorts:objective_report": (
        f"{C}/classes/{{coh_class}}/objectives/{{coh_course}}/report.docx",
        "get",
        STAFF,
        302,
    ),
    # no student in the posted form: editors get 404, everyone else is refused first
    "cohorts:stage_open": (
        f"{C}/{{coh_cohort}}/stages/open/",
        "post",
        {**EDITORS, "administrator": 404, "director": 404},
        302,
    ),
}


def prepare(role_users, reference):
    from cbec_talent.cohorts import services
    from cbec_talent.cohorts.models import Grade, SchoolClass, Student
    from cbec_talent.programmes.models import Programme

    programme = Programme.objects.get(code="P000-CBEC")
    cohort = services.cohort_create(programme=programme, intake_year=2025, name="perm")
    klass = SchoolClass.objects.create(cohort=cohort, name="P1")
    course = programme.courses.get(code="SP01")
    services.plan_save(
        course=course,
        components=[
            {"code": "EXAM", "kind": "theory_exam", "weight": 50, "competencies": []},
            {"code": "OPS", "kind": "platform_operation", "weight": 50, "competencies": ["OPS.PLATFORM"]},
        ],
    )
    Student.objects.create(number="P-OWN", name="own", school_class=klass, user=role_users["student"])
    other = Student.objects.create(number="P-OTHER", name="other", school_class=klass)
    for comp in course.assessment_components.all():
        Grade.objects.create(student=other, component=comp, score=80)
    return {"coh_cohort": cohort.pk, "coh_class": klass.pk, "coh_course": course.pk, "coh_student": other.pk}
