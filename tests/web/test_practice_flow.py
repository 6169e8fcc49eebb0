"""A teacher runs a practice session: two teams submit three rounds, then leaderboard, debrief and scores."""

from __future__ import annotations

import pytest

from cbec_talent.engines.simulation import default_decisions as bot
from cbec_talent.engines.simulation import new_game, override, score_team, step
from cbec_talent.practice import replay as rp
from cbec_talent.practice.models import PracticeScore, RoundDecision, RoundResult, SimulationSession
from cbec_talent.practice.selectors import practice_scores_for
from cbec_talent.practice.services import decision_submit, session_advance, session_create

ROUNDS = 3


@pytest.fixture
def people(make_user):
    return {
        "teacher": make_user("t_li", "teacher"),
        "a1": make_user("alice", "student"),
        "a2": make_user("amy", "student"),
        "b1": make_user("bob", "student"),
    }


def _post_data(form, **changes) -> dict:
    """The form's current values (the bot's suggestion or the last submission) with some fields changed."""
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(changes)
    return data


def open_session(client, people, seed=7, scenario="first_store") -> SimulationSession:
    client.force_login(people["teacher"])
    response = client.post(
        "/practice/new/",
        {
            "title": "Class 3 practice",
            "scenario": scenario,
            "seed": seed,
            "rounds": ROUNDS,
            "round_hours": 24,
            "teams": "Alpha: alice, amy\nBeta: bob",
        },
    )
    session = SimulationSession.objects.get(title="Class 3 practice", seed=seed)
    assert response.status_code == 302 and response["Location"] == f"/practice/{session.pk}/"
    return session


def test_two_teams_play_three_rounds_then_leaderboard_debrief_and_scores(client, people):
    session = open_session(client, people)
    alpha, beta = session.teams.get(name="Alpha"), session.teams.get(name="Beta")
    assert {u.username for u in alpha.members.all()} == {"alice", "amy"}
    for r in range(ROUNDS):
        # Alpha prices 20% above reference and ships express; Beta lists nothing in round 1
        client.force_login(people["a1"] if r % 2 == 0 else people["a2"])
        form = client.get(f"/practice/teams/{alpha.pk}/").context["form"]
        changes = {f"price_{i}": round(float(form.initial[f"price_{i}"]) * 1.2, 2) for i in range(4)}
        response = client.post(f"/practice/teams/{alpha.pk}/", _post_data(form, channel="express", **changes))
        assert response.status_code == 302
        client.force_login(people["b1"])
        form = client.get(f"/practice/teams/{beta.pk}/").context["form"]
        unlisted = {f"price_{i}": 0 for i in range(4)} if r == 0 else {}
        assert client.post(f"/practice/teams/{beta.pk}/", _post_data(form, **unlisted)).status_code == 302

        client.force_login(people["teacher"])
        page = client.get(f"/practice/{session.pk}/")
        assert [row["decision"] is not None for row in page.context["status"]] == [True, True]
        assert b'id="advance-round"' in page.content
        assert client.post(f"/practice/{session.pk}/advance/").status_code == 302

    session.refresh_from_db()
    assert session.status == "finished" and session.current_round == ROUNDS
    assert RoundDecision.objects.filter(team__session=session).count() == 2 * ROUNDS
    results = {(r.team.name, r.round): r for r in RoundResult.objects.filter(team__session=session)}
    assert len(results) == 2 * ROUNDS and not any(r.bot_played for r in results.values())
    assert results[("Beta", 0)].kpis["revenue"] == 0.0  # nothing listed, nothing sold
    assert results[("Alpha", 0)].kpis["revenue"] > 0.0

    page = client.get(f"/practice/{session.pk}/")
    profit = {n: sum(r.kpis["profit"] for (team, _r), r in results.items() if team == n) for n in ("Alpha", "Beta")}
    board = page.context["leaderboard"]
    assert [row["team"].name for row in board] == sorted(profit, key=lambda n: -profit[n])
    assert [row["profit"] for row in board] == pytest.approx(sorted(profit.values(), reverse=True))
    charts = page.context["charts"]
    assert charts["rounds"] == [1, 2, 3]
    assert {c["id"] for c in charts["charts"]} == {"revenue", "margin", "cash", "rating"}
    assert b'id="practice-chart-data"' in page.content

    debrief = client.get(f"/practice/teams/{beta.pk}/debrief/")
    assert debrief.status_code == 200
    codes = [s["code"] for s in debrief.context["scores"]]
    assert "OPS.PLATFORM" in codes and "DATA.ANALYSIS" in codes
    assert all(0 <= s["score"] <= 100 and s["why"] for s in debrief.context["scores"])
    assert debrief.context["well"] or debrief.context["badly"]
    assert "DATA.ANALYSIS" in debrief.content.decode()

    # final scores become one row per member and competency, equal to the engine's score of the replayed game
    game = rp.replay(session.scenario, session.seed, 2, ROUNDS, _submitted(session))
    for user, team in ((people["a1"], alpha), (people["a2"], alpha), (people["b1"], beta)):
        expected = score_team(game.results, team.index).as_dict()
        got = {s.competency_code: s.score for s in practice_scores_for(user)}
        assert got == pytest.approx(expected)
        assert all(s.explanation["text"] for s in practice_scores_for(user))
    assert PracticeScore.objects.filter(session=session).count() == 3 * len(expected)

    # a finished session takes no more decisions or rounds
    assert RoundDecision.objects.get(team=beta, round=0).decisions["price"] == [0, 0, 0, 0]
    client.force_login(people["b1"])
    response = client.post(f"/practice/teams/{beta.pk}/", _post_data(form))
    assert response.status_code == 200 and response.context["problems"]
    assert RoundDecision.objects.filter(team__session=session).count() == 2 * ROUNDS
    client.force_login(people["teacher"])
    client.post(f"/practice/{session.pk}/advance/")
    session.refresh_from_db()
    assert session.current_round == ROUNDS


def _submitted(session):
    out = {}
    for d in RoundDecision.objects.filter(team__session=session).select_related("team"):
        out.setdefault(d.round, {})[d.team.index] = d.decisions
    return out


def _play_with_services(people, seed, fields_by_round):
    session = session_create(
        title=f"repro {seed}",
        scenario="multi_market",
        seed=seed,
        rounds=ROUNDS,
        round_hours=24,
        teams=[("Alpha", ["alice", "amy"]), ("Beta", ["bob"])],
        actor=people["teacher"],
    )
    alpha = session.teams.get(index=0)
    for r in range(ROUNDS):
        decision_submit(team=alpha, fields=fields_by_round[r], actor=people["a1"])
        session = session_advance(session=session, actor=people["teacher"])
    rows = RoundResult.objects.filter(team__session=session).order_by("round", "team__index")
    return [(r.round, r.team.index, r.kpis, r.bot_played) for r in rows]


def test_same_seed_and_decisions_reproduce_the_kpis_bit_for_bit(people):
    state = new_game(rp.scenario("multi_market"), 2, 11)
    fields = rp.to_fields(state, bot(state), 0)
    fields_by_round = [
        {**fields, "price": [0.9, 1.0, 1.1, 1.2, 1.3, 0.0], "channel": "express", "lang_x": 0.2 * r, "ads": [100] * 6}
        for r in range(ROUNDS)
    ]
    first = _play_with_services(people, 11, fields_by_round)
    again = _play_with_services(people, 11, fields_by_round)
    other_seed = _play_with_services(people, 12, fields_by_round)
    assert first == again
    assert [row[2] for row in first] != [row[2] for row in other_seed]
    assert [row[3] for row in first] == [False, True] * ROUNDS  # Beta never submitted: the bot played it

    # the stored KPIs equal a game played directly on the engine with the same decisions
    state = new_game(rp.scenario("multi_market"), 2, 11)
    for r in range(ROUNDS):
        state, res = step(state, override(bot(state), 0, **rp.to_arrays(state, fields_by_round[r])))
        for team in (0, 1):
            assert first[2 * r + team][2] == rp.team_kpis(res, team)
