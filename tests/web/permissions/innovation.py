"""Creating space: staff see and edit everything; a student sees the library and competitions, forms, joins and
leaves teams of their own and sees their own record; an enterprise tutor sees only the projects they mentor or
that come from their enterprise."""

EVERYONE = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 200, "student": 200}
STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
NO_TUTOR = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 200}
STAFF_POST = {"administrator": 302, "director": 302, "teacher": 302, "enterprise_tutor": 403, "student": 403}
TEAM_POST = {"administrator": 302, "director": 302, "teacher": 302, "enterprise_tutor": 403, "student": 302}
STUDENT_POST = {"administrator": 403, "director": 403, "teacher": 403, "enterprise_tutor": 403, "student": 302}

EXPECTATIONS = {
    "innovation:index": ("/creating-space/", "get", EVERYONE, 302),
    "innovation:project_create": ("/creating-space/projects/new/", "get", STAFF, 302),
    # the tutor is the enterprise mentor of {in_project}
    "innovation:project": ("/creating-space/projects/{in_project}/", "get", EVERYONE, 302),
    # ... but neither mentors {in_other} nor belongs to its enterprise
    "innovation:project_edit": ("/creating-space/projects/{in_project}/edit/", "get", STAFF, 302),
    "innovation:project_suggest": ("/creating-space/projects/{in_project}/suggest/", "get", STAFF, 302),
    "innovation:team_create": ("/creating-space/projects/{in_project}/teams/", "post", TEAM_POST, 302),
    # {in_other_team} is on another project; the student is not on it
    "innovation:team_join": ("/creating-space/teams/{in_other_team}/join/", "post", STUDENT_POST, 302),
    # {in_team} is the student's own team (of two: the expectations share one database, sorted by name)
    "innovation:team_leave": ("/creating-space/teams/{in_team}/leave/", "post", TEAM_POST, 302),
    "innovation:team_member_add": ("/creating-space/teams/{in_team}/members/", "post", STAFF_POST, 302),
    "innovation:competitions": ("/creating-space/competitions/", "get", NO_TUTOR, 302),
    "innovation:competition": ("/creating-space/competitions/{in_competition}/", "get", NO_TUTOR, 302),
    "innovation:entry_add": ("/creating-space/competitions/{in_competition}/entries/", "post", STAFF_POST, 302),
    "innovation:result_save": ("/creating-space/entries/{in_entry}/result/", "post", STAFF_POST, 302),
    "innovation:results_export": ("/creating-space/results.xlsx", "get", STAFF, 302),
    "innovation:me": (
        "/creating-space/me/",
        "get",
        {"administrator": 403, "director": 403, "teacher": 403, "enterprise_tutor": 403, "student": 200},
        302,
    ),
    # {in_student} is the student's own record
    "innovation:student": ("/creating-space/students/{in_student}/", "get", NO_TUTOR, 302),
}


def prepare(role_users, reference):
    import datetime as dt

    from cbec_talent.cohorts import services as cohort_services
    from cbec_talent.cohorts.models import SchoolClass, Student
    from cbec_talent.innovation.models import Competition, Entry, Project, Team, TeamMember
    from cbec_talent.partnerships.models import Enterprise
    from cbec_talent.programmes.models import Programme

    if not Student.objects.filter(user=role_users["student"]).exists():  # another app's prepare may have made one
        cohort = cohort_services.cohort_create(
            programme=Programme.objects.get(code="P000-CBEC"), intake_year=2025, name="perm-in"
        )
        klass = SchoolClass.objects.create(cohort=cohort, name="IN1")
        Student.objects.create(number="IN-OWN", name="own", school_class=klass, user=role_users["student"])
    own = Student.objects.get(user=role_users["student"])
    other = Student.objects.create(number="IN-OTHER", name="other", school_class=own.school_class)
    ent = Enterprise.objects.create(name="Innovation Perm Co")
    project = Project.objects.create(title="Perm store", competencies=["OPS.PLATFORM"], enterprise=ent)
    project.enterprise_mentors.add(role_users["enterprise_tutor"])
    elsewhere = Project.objects.create(title="Perm other", competencies=["LANG.EN"])
    team = Team.objects.create(project=project, name="Own team")
    TeamMember.objects.create(team=team, project=project, student=own)
    mate = Student.objects.create(number="IN-MATE", name="mate", school_class=own.school_class)
    TeamMember.objects.create(team=team, project=project, student=mate)  # the team outlives the student leaving
    other_team = Team.objects.create(project=elsewhere, name="Other team")
    TeamMember.objects.create(team=other_team, project=elsewhere, student=other)
    competition = Competition.objects.create(name="Perm cup", level="school", date=dt.date(2026, 5, 1))
    entry = Entry.objects.create(competition=competition, team=other_team)
    return {
        "in_project": project.pk,
        "in_other": elsewhere.pk,
        "in_team": team.pk,
        "in_other_team": other_team.pk,
        "in_competition": competition.pk,
        "in_entry": entry.pk,
        "in_student": own.pk,
    }
