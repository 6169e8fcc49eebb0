"""An enterprise's page: staff and the enterprise's own tutors see it, another enterprise's tutor does not; only
directors/administrators change an enterprise, its tutors and its agreements."""

OWN_VIEW = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 403}
FOREIGN_VIEW = {**OWN_VIEW, "enterprise_tutor": 403}
EDIT_POST = {"administrator": 200, "director": 200, "teacher": 403, "enterprise_tutor": 403, "student": 403}
EDIT_GET = EDIT_POST
RANK_POST = {"administrator": 302, "director": 302, "teacher": 403, "enterprise_tutor": 302, "student": 403}

STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}

EXPECTATIONS = {
    "partnerships:overview": ("/partners/overview/", "get", STAFF, 302),
    "partnerships:overview_export": ("/partners/overview/export.xlsx", "get", STAFF, 302),
    "partnerships:enterprise": ("/partners/enterprises/{al_own}/", "get", OWN_VIEW, 302),
    "partnerships:enterprise#foreign": ("/partners/enterprises/{al_other}/", "get", FOREIGN_VIEW, 302),
    # the posted form is incomplete, so editors get the page back with the errors (200), others 403
    "partnerships:enterprise_edit": ("/partners/enterprises/{al_own}/edit/", "post", EDIT_POST, 302),
    # an empty list of tutors is a valid answer (the other enterprise has none): editors are redirected
    "partnerships:enterprise_tutors": (
        "/partners/enterprises/{al_other}/tutors/",
        "post",
        RANK_POST | {"enterprise_tutor": 403},
        302,
    ),
    "partnerships:agreement_add": ("/partners/enterprises/{al_own}/agreements/", "post", EDIT_POST, 302),
    "partnerships:agreement_edit": ("/partners/agreements/{al_agreement}/", "get", EDIT_GET, 302),
    "partnerships:agreement_delete": (
        "/partners/agreements/{al_agreement_del}/delete/",
        "post",
        # the first editor deletes it; the second finds it gone
        {"administrator": 302, "director": 404, "teacher": 403, "enterprise_tutor": 403, "student": 403},
        302,
    ),
    # the enterprise's own tutors and directors rank a post's applicants; another enterprise's tutor may not
    "partnerships:applicant_ranking": ("/partners/posts/{al_post}/ranking/", "post", RANK_POST, 302),
    "partnerships:applicant_ranking#foreign": (
        "/partners/posts/{al_other_post}/ranking/",
        "post",
        {**RANK_POST, "enterprise_tutor": 403},
        302,
    ),
}


def prepare(role_users, reference):
    import datetime as dt

    from cbec_talent.partnerships.models import Agreement, Enterprise, InternshipPost

    own, _ = Enterprise.objects.get_or_create(name="Alliance Own Co")
    own.members.add(role_users["enterprise_tutor"])
    other, _ = Enterprise.objects.get_or_create(name="Alliance Other Co")
    agreement = Agreement.objects.create(
        enterprise=own, kind="internship_base", title="Base", start=dt.date(2026, 9, 1), end=dt.date(2029, 8, 31)
    )
    doomed = Agreement.objects.create(
        enterprise=other, kind="competition", title="Cup", start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31)
    )
    d1, d2 = dt.date(2027, 7, 1), dt.date(2027, 8, 31)
    post = InternshipPost.objects.create(enterprise=own, title="Ranked post", seats=1, start=d1, end=d2)
    other_post = InternshipPost.objects.create(enterprise=other, title="Foreign post", seats=1, start=d1, end=d2)
    return {
        "al_post": post.pk,
        "al_other_post": other_post.pk,
        "al_own": own.pk,
        "al_other": other.pk,
        "al_agreement": agreement.pk,
        "al_agreement_del": doomed.pk,
    }
