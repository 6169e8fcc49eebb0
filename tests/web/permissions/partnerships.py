"""Alliance pages: staff see everything, directors/administrators edit and run the matching, an enterprise tutor
sees only their own enterprise's posts and interns, students apply."""

STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
EVERYONE = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 200}
EDIT_POST = {"administrator": 302, "director": 302, "teacher": 403, "enterprise_tutor": 403, "student": 403}
STUDENT_POST = {"administrator": 403, "director": 403, "teacher": 403, "enterprise_tutor": 403, "student": 302}
TUTOR_POST = {"administrator": 403, "director": 403, "teacher": 302, "enterprise_tutor": 302, "student": 403}
NOBODY = {"administrator": 403, "director": 403, "teacher": 403, "enterprise_tutor": 403, "student": 403}
STAFF_AND_STUDENT = {**EVERYONE, "enterprise_tutor": 403}

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
    # the placement is the student's own; the teacher is its school tutor, the tutor a member of its enterprise
    "partnerships:placement": ("/partners/placements/{ps_placement}/", "get", EVERYONE, 302),
    "partnerships:placement_tutors": ("/partners/placements/{ps_placement}/tutors/", "post", EDIT_POST, 302),
    "partnerships:checkin_add": ("/partners/placements/{ps_placement}/checkins/", "post", STUDENT_POST, 302),
    "partnerships:weekly_log_add": ("/partners/placements/{ps_placement}/logs/", "post", STUDENT_POST, 302),
    "partnerships:weekly_log_comment": ("/partners/logs/{ps_log}/comment/", "post", TUTOR_POST, 302),
    "partnerships:evaluate": ("/partners/placements/{ps_placement}/evaluate/", "post", TUTOR_POST, 302),
    "partnerships:evaluation_to_grade": ("/partners/placements/{ps_placement}/grade/", "post", EDIT_POST, 302),
    # "#foreign": another enterprise's post and intern (the tutor is not its member, the teacher not its school
    # tutor, the student not the intern): staff see them, the enterprise tutor reaches nothing of it
    "partnerships:post#foreign": ("/partners/posts/{ps_foreign_post}/", "get", STAFF_AND_STUDENT, 302),
    "partnerships:placement#foreign": ("/partners/placements/{ps_foreign_placement}/", "get", STAFF, 302),
    "partnerships:placement_tutors#foreign": (
        "/partners/placements/{ps_foreign_placement}/tutors/",
        "post",
        EDIT_POST,
        302,
    ),
    "partnerships:checkin_add#foreign": ("/partners/placements/{ps_foreign_placement}/checkins/", "post", NOBODY, 302),
    "partnerships:weekly_log_add#foreign": ("/partners/placements/{ps_foreign_placement}/logs/", "post", NOBODY, 302),
    "partnerships:weekly_log_comment#foreign": ("/partners/logs/{ps_foreign_log}/comment/", "post", NOBODY, 302),
    "partnerships:evaluate#foreign": ("/partners/placements/{ps_foreign_placement}/evaluate/", "post", NOBODY, 302),
}


def prepare(role_users, reference):
    import datetime as dt

    from cbec_talent.cohorts import services as cohort_services
    from cbec_talent.cohorts.models import SchoolClass, Student
    from cbec_talent.partnerships.models import Enterprise, InternshipPost, Placement, WeeklyLog
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
    own = Student.objects.get(user=role_users["student"])
    Placement.objects.filter(student=own).delete()
    placement = Placement.objects.create(
        student=own,
        post=post,
        manual=True,
        school_tutor=role_users["teacher"],
        enterprise_tutor=role_users["enterprise_tutor"],
    )
    log = WeeklyLog.objects.create(placement=placement, week=1, text="first week")
    foreign = Enterprise.objects.create(name="Perm Foreign Co")  # no demo user is a member
    foreign_post = InternshipPost.objects.create(
        enterprise=foreign, title="Foreign intern", seats=1, start=dt.date(2027, 7, 1), end=dt.date(2027, 8, 31)
    )
    stranger, _ = Student.objects.get_or_create(
        number="PS-FOREIGN", defaults={"name": "stranger", "school_class": own.school_class}
    )
    foreign_placement = Placement.objects.create(student=stranger, post=foreign_post, manual=True)
    foreign_log = WeeklyLog.objects.create(placement=foreign_placement, week=1, text="their first week")
    return {
        "ps_post": post.pk,
        "ps_placement": placement.pk,
        "ps_log": log.pk,
        "ps_foreign_post": foreign_post.pk,
        "ps_foreign_placement": foreign_placement.pk,
        "ps_foreign_log": foreign_log.pk,
    }
