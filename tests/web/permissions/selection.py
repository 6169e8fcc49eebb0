"""Class selection: directors/administrators edit, teachers view, an enterprise tutor views (read-only) the order-class
selections of their own enterprise, a student sees a published selection he or she is a candidate in (own row
only)."""


def _pdf_ok() -> bool:
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    from cbec_talent.core.pdf import cjk_font_available

    return cjk_font_available()


R = ("administrator", "director", "teacher", "enterprise_tutor")
EVERYONE = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 200}
EDITORS = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}
EDIT_POST = {**EDITORS, "administrator": 302, "director": 302}
# an editor's POST refused by the service (published selection, missing file, bad weights) re-renders with 400
EDIT_REFUSED = {**EDITORS, "administrator": 400, "director": 400}
RESULT = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 403}
PDF = {**RESULT, **{r: (200 if _pdf_ok() else 302) for r in R}}
S = "/partners/selections"

EXPECTATIONS = {
    "selection:list": (f"{S}/", "get", EVERYONE, 302),
    # published, the tutor's enterprise's order class, the student is a candidate
    "selection:detail": (f"{S}/{{sel_pub}}/", "get", EVERYONE, 302),
    "selection:export": (f"{S}/{{sel_pub}}/ranking.xlsx", "get", RESULT, 302),
    "selection:pdf": (f"{S}/{{sel_pub}}/ranking.pdf", "get", PDF, 302),
    "selection:template": (f"{S}/{{sel_draft}}/sheet.xlsx", "get", EDITORS, 302),
    "selection:settings": (f"{S}/{{sel_draft}}/settings/", "post", EDIT_REFUSED, 302),
    "selection:import": (f"{S}/{{sel_draft}}/import/", "post", EDIT_REFUSED, 302),
    "selection:rank": (f"{S}/{{sel_draft}}/rank/", "post", EDIT_POST, 302),
    "selection:publish": (f"{S}/{{sel_pub}}/publish/", "post", EDIT_REFUSED, 302),
    "selection:candidate_scores": ("/partners/selections/candidates/{sel_draft_cand}/scores/", "post", EDIT_POST, 302),
    "selection:candidate_remove": ("/partners/selections/candidates/{sel_pub_cand}/remove/", "post", EDIT_REFUSED, 302),
}


def prepare(role_users, reference):
    import datetime as dt

    from cbec_talent.cohorts import services as cohort_services
    from cbec_talent.cohorts.models import SchoolClass, Student
    from cbec_talent.partnerships.models import Agreement, Enterprise
    from cbec_talent.programmes.models import Programme
    from cbec_talent.selection import services
    from cbec_talent.selection.models import SelectionCandidate

    ent = Enterprise.objects.create(name="Perm Selection Co")
    ent.members.add(role_users["enterprise_tutor"])
    agreement = Agreement.objects.create(
        enterprise=ent,
        kind="order_class",
        title="Perm order class",
        start=dt.date(2026, 1, 1),
        end=dt.date(2028, 12, 31),
        quota=1,
    )
    if not Student.objects.filter(user=role_users["student"]).exists():  # another app's prepare may have made one
        cohort = cohort_services.cohort_create(
            programme=Programme.objects.get(code="P000-CBEC"), intake_year=2025, name="perm-sel"
        )
        klass = SchoolClass.objects.create(cohort=cohort, name="SEL1")
        Student.objects.create(number="SEL-OWN", name="own", school_class=klass, user=role_users["student"])
    own = Student.objects.get(user=role_users["student"])
    scores = {"willingness": 80, "professional": 70, "learning": 60, "diligence": 90}
    published = services.selection_create(kind="order_class", title="Perm published", agreement=agreement)
    pub_cand = SelectionCandidate.objects.create(selection=published, student=own, scores=scores)
    services.selection_rank(selection=published)
    services.selection_publish(selection=published)
    draft = services.selection_create(kind="order_class", title="Perm draft", agreement=agreement)
    draft_cand = SelectionCandidate.objects.create(selection=draft, student=own, scores=scores)
    return {
        "sel_pub": published.pk,
        "sel_pub_cand": pub_cand.pk,
        "sel_draft": draft.pk,
        "sel_draft_cand": draft_cand.pk,
    }
