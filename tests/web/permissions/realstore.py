"""Permission expectations of the real-store app: every role reaches its list (filtered to what it may see);
administrators and directors open stores; staff and the store's own student and tutor read a store (here the
store belongs to another student and another tutor: 403 for those roles); the owner student or an editor enters
figures; only the store's own enterprise tutor co-signs."""

EVERYONE = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 200}
EDITORS = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}
STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
EDITOR_POST = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}
NOBODY_BUT_OWN_TUTOR = {"administrator": 403, "director": 403, "teacher": 403, "enterprise_tutor": 403, "student": 403}
R = "/real-store"

EXPECTATIONS = {
    "realstore:list": (f"{R}/", "get", EVERYONE, 302),
    "realstore:new": (f"{R}/new/", "get", EDITORS, 302),
    "realstore:template": (f"{R}/template.csv", "get", EVERYONE, 302),
    "realstore:store": (f"{R}/{{rs_store}}/", "get", STAFF, 302),
    # a POST without a file re-renders the page with the problem (200) for those allowed to enter figures
    "realstore:import": (f"{R}/{{rs_store}}/import/", "post", EDITOR_POST, 302),
    "realstore:week_new": (f"{R}/{{rs_store}}/weeks/new/", "post", EDITOR_POST, 302),
    "realstore:cosign": (f"{R}/weeks/{{rs_week}}/cosign/", "post", NOBODY_BUT_OWN_TUTOR, 302),
}


def prepare(role_users, reference):
    import datetime as dt

    from cbec_talent.accounts.models import User, UserRole
    from cbec_talent.cohorts import services
    from cbec_talent.cohorts.models import SchoolClass, Student
    from cbec_talent.programmes.models import Programme
    from cbec_talent.realstore.models import RealStore, StoreWeek

    programme = Programme.objects.get(code="P000-CBEC")
    cohort = services.cohort_create(programme=programme, intake_year=2024, name="rs-perm")
    klass = SchoolClass.objects.create(cohort=cohort, name="R1")
    student = Student.objects.create(number="RS-OTHER", name="other", school_class=klass)
    other_tutor = User.objects.create_user(username="rs_other_tutor", password="x-Correct-horse-42")
    UserRole.objects.create(user=other_tutor, role="enterprise_tutor")
    store = RealStore.objects.create(student=student, platform="amazon", name="s", tutor=other_tutor, targets={})
    week = StoreWeek.objects.create(
        store=store, week_start=dt.date(2026, 3, 2), orders=1, sales=1, conversion=1, rating=4, disputes=0
    )
    return {"rs_store": store.pk, "rs_week": week.pk}
