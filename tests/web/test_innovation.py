"""Creating space (众创空间): the project library, teams, the complementary team suggestion on real attainment,
competitions with results as evidence on the student's record and in Excel, and who sees what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from cbec_talent.core.errors import CbecError
from cbec_talent.innovation import services
from cbec_talent.innovation.models import Competition, Entry, Project, Team, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def school_class(db):
    from cbec_talent.cohorts import services as cohort_services
    from cbec_talent.cohorts.models import SchoolClass
    from cbec_talent.programmes.models import Programme

    cohort = cohort_services.cohort_create(
        programme=Programme.objects.get(code="P000-CBEC"), intake_year=2025, name="innov"
    )
    return SchoolClass.objects.create(cohort=cohort, name="CS2501")


@pytest.fixture
def make_student(school_class):
    from cbec_talent.cohorts.models import Student

    def make(number, name=None, user=None):
        return Student.objects.create(number=number, name=name or number, school_class=school_class, user=user)

    return make


@pytest.fixture
def project(db):
    return services.project_create(
        title="AliExpress store", kind="store_incubation", competencies=["OPS.PLATFORM", "LANG.EN"], team_size=3
    )


# --- services -------------------------------------------------------------------------------------------------


def test_project_refuses_unknown_codes_and_mentors_without_the_role(role_users):
    with pytest.raises(CbecError) as exc:
        services.project_create(title="X", competencies=["OPS.PLATFORM", "NOPE.X"])
    assert "NOPE.X" in str(exc.value)
    assert exc.value.problems[0].field == "competencies"
    with pytest.raises(CbecError) as exc:
        services.project_create(title="X", school_mentors=[role_users["student"]])
    assert exc.value.problems[0].field == "school_mentors"
    with pytest.raises(CbecError):
        services.project_create(title="X", enterprise_mentors=[role_users["teacher"]])
    with pytest.raises(CbecError) as exc:
        services.project_create(title="", competencies=[])
    assert exc.value.problems[0].field == "title"
    assert not Project.objects.filter(title="X").exists()
    ok = services.project_create(
        title="Y", school_mentors=[role_users["teacher"]], enterprise_mentors=[role_users["enterprise_tutor"]]
    )
    assert list(ok.school_mentors.all()) == [role_users["teacher"]]


def test_team_rules_size_one_team_per_project_and_closed_projects(project, make_student):
    a, b, c, d = (make_student(f"S{i}") for i in range(4))
    team = services.team_create(project=project, name="Alpha", members=[a, b])
    with pytest.raises(CbecError, match="already on team Alpha"):
        services.team_create(project=project, name="Beta", members=[b, c])
    assert not Team.objects.filter(name="Beta").exists()  # nothing half-written
    with pytest.raises(CbecError, match="at most 3"):
        services.team_create(project=project, name="Gamma", members=[c, d, make_student("S9"), make_student("S8")])
    with pytest.raises(CbecError, match="name"):
        services.team_create(project=project, name="Alpha", members=[c])
    services.team_join(team=team, student=c)
    with pytest.raises(CbecError, match="full"):
        services.team_join(team=team, student=d)
    project.status = Project.Status.COMPLETED
    project.save()
    with pytest.raises(CbecError, match="Completed"):
        services.team_create(project=project, name="Late", members=[d])


def test_leaving_deletes_an_empty_team_but_a_team_with_results_keeps_its_members(project, make_student):
    a, b = make_student("S1"), make_student("S2")
    solo = services.team_create(project=project, name="Solo", members=[a])
    assert services.team_leave(team=solo, student=a) is True
    assert not Team.objects.filter(pk=solo.pk).exists()
    team = services.team_create(project=project, name="Pair", members=[a, b])
    competition = services.competition_create(name="Cup", level="school", date=dt.date(2026, 5, 1))
    services.entry_create(competition=competition, team=team)
    with pytest.raises(CbecError, match="stay on the record"):
        services.team_leave(team=team, student=b)
    assert team.memberships.count() == 2


def test_results_only_after_the_competition_and_ranks_are_unique(project, make_student, role_users):
    t1 = services.team_create(project=project, name="One", members=[make_student("S1")])
    t2 = services.team_create(project=project, name="Two", members=[make_student("S2")])
    competition = services.competition_create(name="Cup", level="national", date=dt.date(2026, 5, 1))
    e1 = services.entry_create(competition=competition, team=t1)
    e2 = services.entry_create(competition=competition, team=t2)
    with pytest.raises(CbecError, match="already entered"):
        services.entry_create(competition=competition, team=t1)
    with pytest.raises(CbecError, match="afterwards"):
        services.result_save(entry=e1, award="first", rank=1, today=dt.date(2026, 4, 30))
    with pytest.raises(CbecError, match="award or a rank"):
        services.result_save(entry=e1, today=dt.date(2026, 5, 2))
    services.result_save(entry=e1, award="first", rank=1, actor=role_users["teacher"], today=dt.date(2026, 5, 2))
    with pytest.raises(CbecError, match="rank 1"):
        services.result_save(entry=e2, award="second", rank=1, today=dt.date(2026, 5, 2))
    with pytest.raises(CbecError) as exc:
        services.result_save(entry=e2, award="gold", today=dt.date(2026, 5, 2))
    assert exc.value.problems[0].field == "award"
    e1.refresh_from_db()
    assert (e1.award, e1.rank, e1.recorded_by) == ("first", 1, role_users["teacher"])


# --- the suggestion on real grades ------------------------------------------------------------------------------


@pytest.fixture
def graded_students(school_class, make_student):
    """Two strong marketers with some English and one weaker student who is the best in English."""
    from cbec_talent.cohorts import services as cohort_services
    from cbec_talent.cohorts.models import Grade
    from cbec_talent.programmes.models import Course

    sp05 = Course.objects.get(programme__code="P000-CBEC", code="SP05")
    sp07 = Course.objects.get(programme__code="P000-CBEC", code="SP07")
    cohort_services.plan_save(
        course=sp05,
        components=[
            {"code": "EXAM", "kind": "theory_exam", "weight": 50, "competencies": []},
            {"code": "CAMPAIGN", "kind": "practical_task", "weight": 50, "competencies": ["MKT.ONLINE"]},
        ],
    )
    cohort_services.plan_save(
        course=sp07,
        components=[
            {"code": "EXAM", "kind": "theory_exam", "weight": 50, "competencies": []},
            {"code": "ORAL", "kind": "practical_task", "weight": 50, "competencies": ["LANG.EN"]},
        ],
    )
    scores = {"G001": (95, 40), "G002": (92, 45), "G003": (10, 75)}  # (SP05, SP07)
    students = {}
    for number, (mkt, eng) in scores.items():
        s = make_student(number)
        students[number] = s
        for course, score in ((sp05, mkt), (sp07, eng)):
            for comp in course.assessment_components.all():
                Grade.objects.create(student=s, component=comp, score=score)
    return students


def test_suggestion_picks_complementary_students_and_explains_them(client_for, role_users, graded_students):
    from cbec_talent.innovation import selectors

    project = services.project_create(title="Launch", competencies=["MKT.ONLINE", "LANG.EN"], team_size=4)
    matrix = selectors.attainment_matrix(list(graded_students.values()), ["MKT.ONLINE", "LANG.EN"])
    assert matrix.round(2).tolist() == [[0.95, 0.4], [0.92, 0.45], [0.1, 0.75]]  # real roll-up of the grades
    client = client_for(role_users["teacher"])
    response = client.get(f"/creating-space/projects/{project.pk}/suggest/?k=2")
    page = response.content.decode()
    # the strongest student G002 plus the English speaker G003, not the two strongest (both marketers)
    assert 'data-student="G002"' in page and 'data-student="G003"' in page
    assert 'data-student="G001"' not in page
    assert "LANG.EN · 100%" in page and "MKT.ONLINE · 100%" in page
    suggestion = response.context["suggestion"]
    assert suggestion.result.total == pytest.approx(2.0)
    assert suggestion.naive_total == pytest.approx(1.0 + 0.45 / 0.7)
    # when the teacher forms the suggested team
    response = client.post(f"/creating-space/projects/{project.pk}/teams/", {"name": "Mix", "members": "G002, G003"})
    assert response.status_code == 302
    team = Team.objects.get(project=project, name="Mix")
    assert sorted(m.student.number for m in team.memberships.all()) == ["G002", "G003"]
    # then the project page shows the team's coverage and what each member brings
    detail = client.get(f"/creating-space/projects/{project.pk}/").content.decode()
    assert "The team meets 100% of the project's needs." in detail
    assert detail.count("LANG.EN · 100%") == 1
    # and the next suggestion only considers students who are still free
    again = client.get(f"/creating-space/projects/{project.pk}/suggest/?k=2").content.decode()
    assert 'data-student="G001"' in again and 'data-student="G002"' not in again
    # a student sees what each member brings, but not their attainment figures
    seen = client_for(role_users["student"]).get(f"/creating-space/projects/{project.pk}/").content.decode()
    assert 'data-student="G003"' in seen and "LANG.EN" in seen and "100%" in seen  # the team's share only
    assert "LANG.EN · 100%" not in seen and "75%" not in seen


# --- views by role ------------------------------------------------------------------------------------------------


def test_student_creates_joins_and_leaves_teams(client_for, role_users, make_student, project):
    own = make_student("OWN1", user=role_users["student"])
    mate = make_student("MATE1")
    client = client_for(role_users["student"])
    # given an open project, the student creates a team and is its first member
    client.post(f"/creating-space/projects/{project.pk}/teams/", {"name": "Pioneers", "members": "MATE1"})
    team = Team.objects.get(name="Pioneers")
    assert [m.student for m in team.memberships.all()] == [own]  # a student cannot enrol others
    # the student cannot create a second team on the same project
    client.post(f"/creating-space/projects/{project.pk}/teams/", {"name": "Second"})
    assert not Team.objects.filter(name="Second").exists()
    # another team exists; the student leaves theirs (deleted when empty) and joins the other
    other = services.team_create(project=project, name="Others", members=[mate])
    client.post(f"/creating-space/teams/{team.pk}/leave/")
    assert not Team.objects.filter(pk=team.pk).exists()
    client.post(f"/creating-space/teams/{other.pk}/join/")
    assert TeamMember.objects.filter(team=other, student=own).exists()
    # a student may not take a teammate off
    assert client.post(f"/creating-space/teams/{other.pk}/leave/", {"student": "MATE1"}).status_code == 302
    assert TeamMember.objects.filter(team=other, student=mate).exists()
    assert not TeamMember.objects.filter(team=other, student=own).exists()  # they left themself
    # a project in progress takes no new team from a student
    project.status = Project.Status.RUNNING
    project.save()
    assert client.post(f"/creating-space/projects/{project.pk}/teams/", {"name": "Late"}).status_code == 403


def test_enterprise_tutor_sees_only_projects_mentored_or_from_their_enterprise(client_for, role_users):
    from cbec_talent.partnerships.models import Enterprise

    tutor = role_users["enterprise_tutor"]
    ent = Enterprise.objects.create(name="Tutor Co")
    ent.members.add(tutor)
    mentored = services.project_create(title="Mentored one", enterprise_mentors=[tutor])
    from_ent = services.project_create(title="From my enterprise", enterprise=ent)
    hidden = services.project_create(title="Somebody else's")
    client = client_for(tutor)
    page = client.get("/creating-space/").content.decode()
    assert "Mentored one" in page and "From my enterprise" in page and "Somebody else" not in page
    assert client.get(f"/creating-space/projects/{mentored.pk}/").status_code == 200
    assert client.get(f"/creating-space/projects/{from_ent.pk}/").status_code == 200
    assert client.get(f"/creating-space/projects/{hidden.pk}/").status_code == 403
    assert client.get("/creating-space/competitions/").status_code == 403


def test_staff_edit_project_and_list_filters(client_for, role_users):
    client = client_for(role_users["teacher"])
    response = client.post(
        "/creating-space/projects/new/",
        {
            "title": "Research on overseas warehouses",
            "kind": "research",
            "status": "open",
            "competencies": ["OPS.LOGISTICS"],
            "team_size": 4,
            "school_mentors": [role_users["teacher"].pk],
        },
    )
    assert response.status_code == 302
    p = Project.objects.get(title="Research on overseas warehouses")
    assert p.competencies == ["OPS.LOGISTICS"] and list(p.school_mentors.all()) == [role_users["teacher"]]
    services.project_create(title="Store", kind="store_incubation", competencies=["OPS.PLATFORM"])
    page = client.get("/creating-space/?competency=OPS.LOGISTICS").content.decode()
    assert "Research on overseas warehouses" in page and 'data-project="Store"' not in page
    page = client.get("/creating-space/?kind=store_incubation").content.decode()
    assert 'data-project="Store"' in page and "overseas warehouses" not in page
    response = client.post(
        f"/creating-space/projects/{p.pk}/edit/",
        {
            "title": p.title,
            "kind": "research",
            "status": "completed",
            "competencies": ["OPS.LOGISTICS"],
            "team_size": 4,
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == "completed"


def test_result_entered_by_staff_shows_on_record_and_in_excel(client_for, role_users, make_student, project):
    own = make_student("REC1", "张三", user=role_users["student"])
    team = services.team_create(project=project, name="Winners", members=[own, make_student("REC2", "李四")])
    competition = services.competition_create(
        name="Provincial CBEC cup", level="provincial", organiser="Dept", date=dt.date(2026, 4, 1)
    )
    teacher = client_for(role_users["teacher"])
    teacher.post(f"/creating-space/competitions/{competition.pk}/entries/", {"team": team.pk})
    entry = Entry.objects.get(competition=competition, team=team)
    teacher.post(
        f"/creating-space/entries/{entry.pk}/result/", {f"e{entry.pk}-award": "first", f"e{entry.pk}-rank": "1"}
    )
    entry.refresh_from_db()
    assert entry.award == "first" and entry.rank == 1
    # the index chart counts the award under its level
    index = teacher.get("/creating-space/")
    assert index.context["figures"]["awards"] == 1
    series = {s["name"]: s["data"] for s in index.context["figures"]["chart"]["series"]}
    assert series["First prize"][index.context["figures"]["chart"]["levels"].index("Provincial")] == 1
    assert 'id="awards-chart-data"' in index.content.decode()
    # Excel: one row per student of the team
    response = teacher.get(f"/creating-space/results.xlsx?competition={competition.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Student number", "Name", "Class", "Competition")
    assert sorted((r[0], r[9], r[10]) for r in rows[1:]) == [("REC1", "First prize", 1), ("REC2", "First prize", 1)]
    # the student sees the award in "my creating space"
    me = client_for(role_users["student"]).get("/creating-space/me/").content.decode()
    assert 'data-competition="Provincial CBEC cup"' in me and "First prize" in me
    # but cannot see a classmate's record
    other = TeamMember.objects.get(student__number="REC2").student
    assert client_for(role_users["student"]).get(f"/creating-space/students/{other.pk}/").status_code == 403


def test_index_query_count_does_not_grow_with_projects(
    client_for, role_users, make_student, django_assert_max_num_queries
):
    competition = Competition.objects.create(name="Cup", level="school", date=dt.date(2026, 1, 1))
    for i in range(12):
        p = services.project_create(
            title=f"P{i}", competencies=["OPS.PLATFORM"], school_mentors=[role_users["teacher"]]
        )
        team = services.team_create(project=p, name="T", members=[make_student(f"Q{i}")])
        Entry.objects.create(competition=competition, team=team, award="third", rank=i + 1)
    client = client_for(role_users["director"])
    with django_assert_max_num_queries(13):  # session, user, roles, projects + mentors, figures: not per project
        response = client.get("/creating-space/")
    assert response.content.decode().count("data-project=") == 12


def test_demo_data_is_idempotent_and_includes_the_demo_student(db):
    from cbec_talent.cohorts.demo import create_demo_data as cohorts_demo
    from cbec_talent.cohorts.models import Student
    from cbec_talent.demo import create_demo_users
    from cbec_talent.innovation.dashboard import cards
    from cbec_talent.innovation.demo import create_demo_data

    create_demo_users()
    cohorts_demo()
    create_demo_data()
    create_demo_data()
    assert Project.objects.count() == 3 and Competition.objects.count() == 1
    own = Student.objects.get(user__username="student")
    team = Team.objects.get(memberships__student=own)
    entry = team.entries.get()
    assert entry.award == "second" and entry.rank == 2
    from cbec_talent.accounts.models import User

    keys = {c["key"]: c["value"] for c in cards(User.objects.get(username="student"))}
    assert keys["my_creating_space"] == "1 / 1"
    assert {c["key"] for c in cards(User.objects.get(username="teacher"))} == {"innovation_teams"}
