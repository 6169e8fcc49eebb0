"""Teacher development: staff see the pages, directors/administrators change anything, a teacher changes only
their own ledger, an enterprise tutor sees only their own profile, students nothing."""


def _pdf_ok() -> bool:
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    from cbec_talent.core.pdf import cjk_font_available

    return cjk_font_available()


STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
# without a Chinese font the PDF view sends staff back with a message naming the package to install
PDF = {**STAFF, **{r: (200 if _pdf_ok() else 302) for r in ("administrator", "director", "teacher")}}
EDITORS = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}
# on the teacher user's own profile
OWN_LEDGER = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
# the profile linked to the enterprise tutor: staff and that tutor see it
TUTOR_PROFILE = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 403}
# /faculty/mine/ redirects to one's own profile; the administrator and director have none (404)
MINE = {"administrator": 404, "director": 404, "teacher": 302, "enterprise_tutor": 302, "student": 403}

EXPECTATIONS = {
    "faculty:index": ("/faculty/", "get", STAFF, 302),
    "faculty:mine": ("/faculty/mine/", "get", MINE, 302),
    "faculty:teacher_create": ("/faculty/teachers/new/", "get", EDITORS, 302),
    "faculty:teacher": ("/faculty/teachers/{fac_tutor}/", "get", TUTOR_PROFILE, 302),
    "faculty:teacher_edit": ("/faculty/teachers/{fac_own}/edit/", "get", EDITORS, 302),
    "faculty:entry_add": ("/faculty/teachers/{fac_own}/training/new/", "get", OWN_LEDGER, 302),
    "faculty:entry_edit": ("/faculty/entries/training/{fac_training}/edit/", "get", OWN_LEDGER, 302),
    # GET shows the confirmation page; the POST that removes the entry is checked per role in test_faculty_views.py
    "faculty:entry_delete": ("/faculty/entries/training/{fac_training}/delete/", "get", OWN_LEDGER, 302),
    # another teacher's profile (no login): the tutor and the teacher may not touch it
    "faculty:teacher#foreign": ("/faculty/teachers/{fac_other}/", "get", STAFF, 302),
    "faculty:entry_add#foreign": ("/faculty/teachers/{fac_other}/practice/new/", "get", EDITORS, 302),
    "faculty:entry_edit#foreign": ("/faculty/entries/training/{fac_other_training}/edit/", "get", EDITORS, 302),
    "faculty:entry_delete#foreign": ("/faculty/entries/training/{fac_other_training}/delete/", "get", EDITORS, 302),
    "faculty:export": ("/faculty/ledger.xlsx", "get", STAFF, 302),
    "faculty:export_pdf": ("/faculty/ledger.pdf", "get", PDF, 302),
    "faculty:import": ("/faculty/import/", "get", EDITORS, 302),
    "faculty:import_template": ("/faculty/import/template.xlsx", "get", EDITORS, 302),
    "faculty:courses": ("/faculty/courses/", "get", STAFF, 302),
}


def prepare(role_users, reference):
    import datetime as dt

    from cbec_talent.faculty.models import Teacher, TrainingRecord
    from cbec_talent.partnerships.models import Enterprise

    enterprise, _created = Enterprise.objects.get_or_create(name="Faculty Perm Co")
    own, _created = Teacher.objects.get_or_create(
        number="PERM-T", defaults={"name": "own", "user": role_users["teacher"]}
    )
    tutor, _created = Teacher.objects.get_or_create(
        number="PERM-E",
        defaults={
            "name": "tutor",
            "kind": "enterprise",
            "enterprise": enterprise,
            "user": role_users["enterprise_tutor"],
        },
    )
    training, _created = TrainingRecord.objects.get_or_create(
        teacher=own, name="perm training", start=dt.date(2026, 1, 5), end=dt.date(2026, 1, 6), hours=16
    )
    other, _created = Teacher.objects.get_or_create(number="PERM-O", defaults={"name": "other"})
    other_training, _created = TrainingRecord.objects.get_or_create(
        teacher=other, name="other training", start=dt.date(2026, 1, 5), end=dt.date(2026, 1, 6), hours=8
    )
    return {
        "fac_own": own.pk,
        "fac_tutor": tutor.pk,
        "fac_training": training.pk,
        "fac_other": other.pk,
        "fac_other_training": other_training.pk,
    }
