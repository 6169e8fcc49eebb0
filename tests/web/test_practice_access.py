"""Who sees what in practice sessions, deadline-driven advancing, and the checks on opening a session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cbec_talent.core.errors import CbecError
from cbec_talent.practice.models import RoundDecision, RoundResult, SimulationSession
from cbec_talent.practice.services import advance_due_sessions, session_create
from cbec_talent.practice.tasks import advance_due_sessions_task


@pytest.fixture
def game(make_user):
    teacher = make_user("t_wu", "teacher")
    people = {name: make_user(name, "student") for name in ("alice", "bob", "carol")}
    now = timezone.now()
    session = session_create(
        title="Access check",
        scenario="peak_season_warehouse",
        seed=3,
        rounds=2,
        round_hours=2,
        teams=[("Alpha", ["alice"]), ("Beta", ["bob"])],
        actor=teacher,
        now=now,
    )
    return {"session": session, "teacher": teacher, "now": now, **people}


def test_a_student_cannot_view_or_submit_for_another_team(client, game):
    session = game["session"]
    alpha, beta = session.teams.get(name="Alpha"), session.teams.get(name="Beta")
    client.force_login(game["bob"])
    assert client.get(f"/practice/teams/{beta.pk}/").status_code == 200
    form = client.get(f"/practice/teams/{beta.pk}/").context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    assert client.get(f"/practice/teams/{alpha.pk}/").status_code == 403
    assert client.get(f"/practice/teams/{alpha.pk}/debrief/").status_code == 403
    assert client.post(f"/practice/teams/{alpha.pk}/", data).status_code == 403
    assert not RoundDecision.objects.filter(team=alpha).exists()
    assert client.post(f"/practice/{session.pk}/advance/").status_code == 403
    page = client.get(f"/practice/{session.pk}/")
    assert page.status_code == 200 and [t.name for t in page.context["my_teams"]] == ["Beta"]
    assert b'id="advance-round"' not in page.content
    assert client.post(f"/practice/teams/{beta.pk}/", data).status_code == 302
    assert RoundDecision.objects.get(team=beta).submitted_by == game["bob"]


def test_outsiders_tutors_and_teachers_get_what_their_role_allows(client, game, make_user):
    session = game["session"]
    alpha = session.teams.get(name="Alpha")
    client.force_login(game["carol"])  # a student in no team of this session
    assert client.get(f"/practice/{session.pk}/").status_code == 403
    assert session not in client.get("/practice/").context["sessions"]
    client.force_login(make_user("tutor_x", "enterprise_tutor"))
    for path in ("/practice/", f"/practice/{session.pk}/", f"/practice/teams/{alpha.pk}/"):
        assert client.get(path).status_code == 403
    client.force_login(game["teacher"])
    assert session in client.get("/practice/").context["sessions"]
    page = client.get(f"/practice/teams/{alpha.pk}/")
    assert page.status_code == 200 and page.context["form"] is None  # teachers watch, teams decide
    assert client.post(f"/practice/teams/{alpha.pk}/", {"channel": "postal"}).status_code == 403


def test_rounds_advance_when_their_deadline_passes(game):
    session, now = game["session"], game["now"]
    assert advance_due_sessions(now + dt.timedelta(hours=1)) == []
    assert advance_due_sessions(now + dt.timedelta(hours=3)) == [session.pk]
    session.refresh_from_db()
    assert session.current_round == 1 and session.deadline == now + dt.timedelta(hours=5)
    assert all(r.bot_played for r in RoundResult.objects.filter(team__session=session))
    session.deadline = timezone.now() - dt.timedelta(minutes=1)
    session.save()
    advance_due_sessions_task.enqueue()  # the test settings run tasks inline
    session.refresh_from_db()
    assert session.status == SimulationSession.Status.FINISHED and session.deadline is None
    assert {s.student.username for s in session.scores.all()} == {"alice", "bob"}


def test_opening_a_session_names_the_line_and_field_of_each_problem(game, make_user):
    make_user("tina", "teacher")
    with pytest.raises(CbecError) as exc:
        session_create(
            title="Bad",
            scenario="first_store",
            seed=1,
            rounds=99,
            round_hours=1,
            teams=[("Alpha", ["alice", "tina"]), ("Alpha", ["alice"]), ("Gamma", [])],
            actor=game["teacher"],
        )
    found = {(p.row, p.field) for p in exc.value.problems}
    assert (None, "rounds") in found  # first_store has 52 rounds
    assert (1, "teams") in found  # tina is not a student
    assert (2, "teams") in found  # duplicate name and alice twice
    assert (3, "teams") in found  # no members
    assert not SimulationSession.objects.filter(title="Bad").exists()


def test_the_management_command_advances_due_sessions(game):
    from io import StringIO

    from django.core.management import call_command

    session = game["session"]
    session.deadline = timezone.now() - dt.timedelta(seconds=1)
    session.save()
    out = StringIO()
    call_command("practice_advance_due", stdout=out)
    session.refresh_from_db()
    assert session.current_round == 1 and f"[{session.pk}]" in out.getvalue()
    call_command("practice_advance_due", stdout=out)  # the new deadline is 2 hours away: nothing to do
    session.refresh_from_db()
    assert session.current_round == 1
