"""Alliance pages: staff see everything, directors/administrators edit and run the matching, an enterprise tutor
sees only their own enterprise's posts and interns, students apply."""

STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
EVERYONE = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 200}
EDIT_POST = {"administrator": 302, "director": 302, "teacher": 403, "enterprise_tutor": 403, "student": 403}

EXPECTATIONS = {
    "partnerships:enterprises": ("/partners/", "get", STAFF, 302),
    "partnerships:posts": ("/partners/posts/", "get", EVERYONE, 302),
    # the tutor is a member of the post's enterprise; the student sees open posts
    "partnerships:post": ("/partners/posts/{ps_post}/", "get", EVERYONE, 302),
    "partnerships:apply": (
        "/partners/apply/",
        "get",
        {"administrator": 403, "director": 403, "teacher": 403, "enterprise_tutor": 403, "student": 200},
        302,
    ),
    "partnerships:match": ("/partners/match/", "post", EDIT_POST, 302),
    "partnerships:placements": ("/partners/placements/", "get", EVERYONE, 302),
}


def prepare(role_users, reference):
    import datetime as dt

    from cbec_talent.cohorts import services as cohort_services
    from cbec_talent.cohorts.models import SchoolClass, Student
    from cbec_talent.partnerships.models import Enterprise, InternshipPost
    from cbec_talent.programmes.models import Programme

    ent = Enterprise.objects.create(name="Perm Co")
    ent.members.add(role_users["enterprise_tutor"])
    post = InternshipPost.objects.create(
        enterprise=ent, title="CS intern", seats=1, start=dt.date(2027, 7, 1), end=dt.date(2027, 8, 31)
    )
    if not Student.objects.filter(user=role_users["student"]).exists():  # another app's prepare may have made one
        cohort = cohort_services.cohort_create(
            programme=Programme.objects.get(code="P000-CBEC"), intake_year=2025, name="perm-ps"
        )
        klass = SchoolClass.objects.create(cohort=cohort, name="PS1")
        Student.objects.create(number="PS-OWN", name="own", school_class=klass, user=role_users["student"])
    return {"ps_post": post.pk}
