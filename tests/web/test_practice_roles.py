"""Multi-role sessions: a logistics player and a seller play against the model's buyer, broker and payment provider."""

from __future__ import annotations

import numpy as np
import pytest

from cbec_talent.core.errors import CbecError
from cbec_talent.engines.simulation import default_decisions as bot
from cbec_talent.engines.simulation import (
    model_role_decisions,
    new_game,
    override,
    score_roles,
    score_team,
    step_with_roles,
)
from cbec_talent.engines.simulation.roles import merge_roles
from cbec_talent.practice import replay as rp
from cbec_talent.practice.models import (
    PracticeScore,
    RoleAssignment,
    RoleDecision,
    RoundDecision,
    RoundResult,
    SimulationSession,
)
from cbec_talent.practice.services import decision_submit, role_decision_submit, session_advance, session_create

ROUNDS = 2
SCENARIO = "first_store"
TERMS = {"logistics_price": 1.8, "logistics_effort": 0.1}  # expensive and unreliable carrier


@pytest.fixture
def people(make_user):
    return {
        "teacher": make_user("t_li", "teacher"),
        **{name: make_user(name, "student") for name in ("alice", "bob", "carol", "dave")},
    }


def _post_data(form, **changes) -> dict:
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(changes)
    return data


def _engine_game(seed: int, seller_fields: list[dict], logistics: dict | None):
    """The same game played directly on the engine: bot for Beta, Alpha's stored fields, the model's roles
    overlaid by the logistics player's terms (None: the model plays logistics too)."""
    s = rp.scenario(SCENARIO)
    state = new_game(s, 2, seed)
    played = {name: {0: value} for name, value in (logistics or {}).items()}
    roles = merge_roles(model_role_decisions(s, 2), played)
    results = []
    for r in range(ROUNDS):
        dec = override(bot(state), 0, **rp.to_arrays(state, seller_fields[r]))
        state, res = step_with_roles(state, dec, roles)
        results.append(res)
    return results, roles


def test_a_logistics_player_and_a_seller_play_two_rounds_with_per_role_scores(client, people):
    client.force_login(people["teacher"])
    response = client.post(
        "/practice/new/",
        {
            "title": "Roles class",
            "scenario": SCENARIO,
            "seed": 5,
            "rounds": ROUNDS,
            "round_hours": 24,
            "teams": "Alpha: alice(seller), bob（logistics）\nBeta: carol",
            "multi_role": "on",
        },
    )
    session = SimulationSession.objects.get(title="Roles class")
    assert response.status_code == 302 and session.multi_role
    alpha = session.teams.get(name="Alpha")
    assert {(a.student.username, a.role) for a in RoleAssignment.objects.filter(team__session=session)} == {
        ("alice", "seller"),
        ("bob", "logistics"),
        ("carol", "seller"),
    }
    team_url, role_url = f"/practice/teams/{alpha.pk}/", f"/practice/teams/{alpha.pk}/roles/"

    for r in range(ROUNDS):
        client.force_login(people["bob"])
        page = client.get(team_url)
        assert page.context["form"] is None and page.context["my_role"] == "logistics"
        assert page.context["session"].current_round == r and page.context["role_submitted"] is None
        role_form = page.context["role_form"]
        assert set(role_form.fields) == set(TERMS)
        assert role_form.initial == {"logistics_price": 1.0, "logistics_effort": 0.5}  # the model's terms
        assert client.post(role_url + "logistics/", TERMS).status_code == 302
        # bob may not post another role's terms nor the seller's decisions
        assert client.post(role_url + "customs_broker/", {"broker_fee": 1, "broker_accuracy": 1}).status_code == 403
        client.force_login(people["alice"])
        page = client.get(team_url)
        assert page.context["role_form"] is None and b'id="team-roles"' in page.content
        seller_form = page.context["form"]
        assert client.post(team_url, _post_data(seller_form)).status_code == 302
        assert client.post(role_url + "logistics/", {"logistics_price": 0.5, "logistics_effort": 1}).status_code == 403
        client.force_login(people["bob"])
        assert client.post(team_url, _post_data(seller_form)).status_code == 403
        client.force_login(people["carol"])  # another team's member
        assert client.post(role_url + "logistics/", TERMS).status_code == 403
        # out-of-range terms are refused with the field named
        client.force_login(people["bob"])
        bad = client.post(role_url + "logistics/", {"logistics_price": 3.0, "logistics_effort": 0.1})
        assert bad.status_code == 200 and bad.context["role_form"].errors.keys() == {"logistics_price"}
        client.force_login(people["teacher"])
        dashboard = client.get(f"/practice/{session.pk}/")
        assert [len(row["roles"]) for row in dashboard.context["status"]] == [1, 0]  # Alpha's logistics terms
        assert b'data-role-terms="Alpha"' in dashboard.content and b'id="multi-role"' in dashboard.content
        assert client.post(f"/practice/{session.pk}/advance/").status_code == 302

    session.refresh_from_db()
    assert session.status == "finished"
    assert RoleDecision.objects.filter(team=alpha, role="logistics").count() == ROUNDS
    assert all(d.terms == TERMS for d in RoleDecision.objects.filter(team=alpha))

    # the stored KPIs are the engine's with bob's terms, and differ from the all-model game
    fields = [RoundDecision.objects.get(team=alpha, round=r).decisions for r in range(ROUNDS)]
    played, roles = _engine_game(5, fields, TERMS)
    model, _ = _engine_game(5, fields, None)
    stored = {(x.team.index, x.round): x.kpis for x in RoundResult.objects.filter(team__session=session)}
    for r in range(ROUNDS):
        assert stored[(0, r)] == rp.team_kpis(played[r], 0)
        assert stored[(1, r)] == rp.team_kpis(played[r], 1)
    assert [stored[(0, r)] for r in range(ROUNDS)] != [rp.team_kpis(model[r], 0) for r in range(ROUNDS)]
    assert sum(float(res.costs["freight_direct"][0].sum()) for res in played) > sum(
        float(res.costs["freight_direct"][0].sum()) for res in model
    )

    # the debrief shows every role's scores, who played it, and the model for the rest
    client.force_login(people["alice"])
    debrief = client.get(f"/practice/teams/{alpha.pk}/debrief/")
    rows = {row["role"]: row for row in debrief.context["role_scores"]}
    assert list(rows) == ["seller", "buyer", "logistics", "customs_broker", "payment"]
    assert rows["logistics"]["players"] == ["bob"] and rows["seller"]["players"] == ["alice"]
    assert rows["buyer"]["players"] == [] and rows["payment"]["players"] == []
    assert [s["code"] for s in rows["logistics"]["scores"]] == ["OPS.LOGISTICS"]
    assert [s["code"] for s in rows["customs_broker"]["scores"]] == ["TRADE.CUSTOMS"]
    content = debrief.content.decode()
    assert 'id="role-scores"' in content and 'data-role="logistics" data-code="OPS.LOGISTICS"' in content

    # each member is scored on their own role only: bob on logistics (mean of the rounds' engine scores)
    per_round = [
        next(t for t in score_roles([res], roles, 0) if t.role == "logistics").as_dict()["OPS.LOGISTICS"]
        for res in played
    ]
    bob = {s.competency_code: s.score for s in PracticeScore.objects.filter(student=people["bob"])}
    assert bob == pytest.approx({"OPS.LOGISTICS": round(float(np.mean(per_round)), 1)})
    assert rows["logistics"]["scores"][0]["score"] == pytest.approx(bob["OPS.LOGISTICS"])
    alice = {s.competency_code: s.score for s in PracticeScore.objects.filter(student=people["alice"])}
    assert alice == pytest.approx(score_team(played, 0).as_dict())
    carol = {s.competency_code: s.score for s in PracticeScore.objects.filter(student=people["carol"])}
    assert carol == pytest.approx(score_team(played, 1).as_dict())
    assert PracticeScore.objects.get(student=people["bob"]).explanation["role"] == "logistics"


def _play(people, seed: int, terms: dict | None) -> list:
    session = session_create(
        title=f"roles {seed} {terms}",
        scenario=SCENARIO,
        seed=seed,
        rounds=ROUNDS,
        round_hours=24,
        teams=[("Alpha", ["alice", "bob(logistics)", "dave(payment)"]), ("Beta", ["carol"])],
        actor=people["teacher"],
        multi_role=True,
    )
    alpha = session.teams.get(index=0)
    state = new_game(rp.scenario(SCENARIO), 2, seed)
    fields = {**rp.to_fields(state, bot(state), 0), "channel": "express"}
    for _r in range(ROUNDS):
        decision_submit(team=alpha, fields=fields, actor=people["alice"])
        if terms is not None:
            role_decision_submit(team=alpha, role="logistics", terms=terms, actor=people["bob"])
            role_decision_submit(
                team=alpha, role="payment", terms={"payment_fee": 0.03, "payment_spread": 0.02}, actor=people["dave"]
            )
        session = session_advance(session=session, actor=people["teacher"])
    return [(r.round, r.team.index, r.kpis) for r in RoundResult.objects.filter(team__session=session)]


def test_same_seed_and_submissions_reproduce_the_kpis(people):
    first = _play(people, 9, TERMS)
    assert first == _play(people, 9, TERMS)
    assert first != _play(people, 9, None)
    assert first != _play(people, 9, {"logistics_price": 0.6, "logistics_effort": 0.9})
    session = session_create(
        title="one more",
        scenario=SCENARIO,
        seed=1,
        rounds=ROUNDS,
        round_hours=24,
        teams=[("Alpha", ["alice", "dave(payment)"])],
        actor=people["teacher"],
        multi_role=True,
    )
    with pytest.raises(CbecError):  # the payment player may not set logistics terms
        role_decision_submit(team=session.teams.get(), role="logistics", terms=TERMS, actor=people["dave"])
    assert not RoleDecision.objects.filter(team__session=session).exists()


def test_bad_team_lines_are_refused_with_line_and_field(client, people):
    client.force_login(people["teacher"])
    data = {"title": "Bad roles", "scenario": SCENARIO, "seed": 1, "rounds": 2, "round_hours": 24}
    response = client.post(
        "/practice/new/",
        {
            **data,
            "multi_role": "on",
            "teams": "Alpha: alice(seller)\nBeta: bob(pilot), carol(logistics), dave(logistics)",
        },
    )
    assert response.status_code == 200
    problems = [(p.row, p.field, p.message) for p in response.context["problems"]]
    assert all(row == 2 and field == "teams" for row, field, _m in problems)
    assert any("pilot" in m for _r, _f, m in problems)
    assert any("logistics" in m and "Beta" in m for _r, _f, m in problems)
    assert len(problems) == 2
    # roles in a plain session are refused; a plain line in a multi-role session makes everyone a seller
    response = client.post("/practice/new/", {**data, "teams": "Alpha: alice(logistics)"})
    assert response.status_code == 200 and [p.row for p in response.context["problems"]] == [1]
    assert not SimulationSession.objects.filter(title="Bad roles").exists()
    response = client.post("/practice/new/", {**data, "multi_role": "on", "teams": "Alpha: alice, bob"})
    assert response.status_code == 302
    session = SimulationSession.objects.get(title="Bad roles")
    assert sorted(RoleAssignment.objects.filter(team__session=session).values_list("role", flat=True)) == [
        "seller",
        "seller",
    ]
