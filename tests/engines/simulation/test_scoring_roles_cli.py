"""Competency scores, the multi-role transaction mode and the headless command."""

from __future__ import annotations

import dataclasses
import json

import numpy as np

from cbec_talent.engines.simulation import (
    default_decisions,
    model_role_decisions,
    new_game,
    run_game,
    score_roles,
    score_team,
    step,
    step_with_roles,
)
from cbec_talent.engines.simulation.cli import main
from cbec_talent.engines.simulation.roles import merge_roles


def test_scores_are_0_to_100_with_explanations(scenarios):
    _, results, _ = run_game(scenarios["multi_market"], 3, 1, rounds=8)
    sc = score_team(results, 2)
    codes = sc.as_dict()
    assert {
        "OPS.PLATFORM",
        "OPS.LOGISTICS",
        "OPS.SERVICE",
        "MKT.ONLINE",
        "LANG.EN",
        "LANG.X",
        "TRADE.PAY",
        "DATA.ANALYSIS",
    } == set(codes)
    assert all(0 <= v <= 100 for v in codes.values())
    assert all(s.explanation for s in sc.scores)


def test_lang_x_not_scored_without_a_non_english_market(scenarios):
    _, results, _ = run_game(scenarios["first_store"], 1, 1, rounds=3)
    assert "LANG.X" not in score_team(results, 0).as_dict()


def test_slow_shipping_and_no_replies_score_lower(build, raw_first_store):
    raw_first_store["markets"][0]["promise_days"] = 12
    s = build(raw_first_store)
    state = new_game(s, 2, 6)
    results = []
    for _ in range(6):
        dec = default_decisions(state)
        express = dec.express.copy()
        express[0], express[1] = True, False
        hours = dec.reply_hours.copy()
        hours[1] = 0.0
        state, res = step(state, dataclasses.replace(dec, express=express, reply_hours=hours))
        results.append(res)
    good, bad = score_team(results, 0).as_dict(), score_team(results, 1).as_dict()
    assert good["OPS.LOGISTICS"] > bad["OPS.LOGISTICS"]
    assert good["OPS.SERVICE"] > bad["OPS.SERVICE"]


def test_model_roles_reproduce_the_default_services(scenarios):
    s = scenarios["multi_market"]
    state = new_game(s, 3, 2)
    dec = default_decisions(state)
    _, plain = step(state, dec)
    _, with_roles = step_with_roles(state, dec, model_role_decisions(s, 3))
    for k in plain.kpis:
        np.testing.assert_allclose(plain.kpis[k], with_roles.kpis[k])


def test_students_roles_change_outcomes_and_scores(scenarios):
    s = scenarios["peak_season_warehouse"]
    roles = merge_roles(
        model_role_decisions(s, 2),
        {
            "broker_accuracy": {0: 1.0, 1: 0.0},
            "logistics_effort": {0: 1.0, 1: 0.0},
            "payment_fee": {1: 0.05},
        },
    )
    state = new_game(s, 2, 3)
    results = []
    for _ in range(8):
        state, res = step_with_roles(state, default_decisions(state), roles)
        results.append(res)
    g0 = {t.role: t for t in score_roles(results, roles, 0)}
    g1 = {t.role: t for t in score_roles(results, roles, 1)}
    assert set(g0) == {"seller", "buyer", "logistics", "customs_broker", "payment"}
    assert g0["customs_broker"].as_dict()["TRADE.CUSTOMS"] > g1["customs_broker"].as_dict()["TRADE.CUSTOMS"]
    assert g0["payment"].as_dict()["TRADE.PAY"] > g1["payment"].as_dict()["TRADE.PAY"]
    errs = sum(r.declaration_errors for r in results)
    assert errs[0] < errs[1]
    late = [sum(float(r.late[g].sum()) / max(float(r.shipped[g].sum()), 1) for r in results) for g in (0, 1)]
    assert late[0] < late[1]


def test_cli_json_records_seed_and_is_reproducible(capsys):
    assert main(["first_store", "--teams", "2", "--seed", "11", "--rounds", "4", "--json"]) == 0
    first = capsys.readouterr().out
    assert main(["first_store", "--teams", "2", "--seed", "11", "--rounds", "4", "--json"]) == 0
    assert capsys.readouterr().out == first
    doc = json.loads(first)
    assert doc["run"]["seed"] == 11 and doc["run"]["teams"] == 2
    assert len(doc["rounds"]) == 4 and len(doc["teams"]) == 2


def test_cli_table_and_errors(capsys):
    assert main(["multi_market", "--teams", "1", "--rounds", "2"]) == 0
    out = capsys.readouterr().out
    assert "seed=0" in out and "DATA.ANALYSIS" in out
    assert main(["nowhere", "--teams", "1"]) == 2
    assert "not found" in capsys.readouterr().err
