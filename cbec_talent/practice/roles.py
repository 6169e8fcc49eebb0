"""The multi-role transaction mode on the web: who plays which role, each role's terms, and per-role scores.

In a multi-role session each team is one *group* of the engine's transaction mode (``engines.simulation.roles``):
a seller trading with a buyer, a logistics provider, a customs broker and a payment provider. Team lines name
roles in brackets, ``Alpha: student(seller), student2(logistics), student3(customs_broker)``. The rule:

* a member written without a role plays the seller (so the plain syntax ``Alpha: alice, amy`` still works, and
  every such member may submit the seller's decisions, as in a normal session);
* a role written in brackets may be given to one member of the team only (``seller`` included);
* roles nobody plays in a team are played by the model with the scenario's terms (``model_role_decisions``).

Each non-seller role submits its terms per round (``ROLE_TERMS``: the ``RoleDecisions`` fields and their valid
ranges, the ranges ``services_from_roles`` clips to); the round is played with ``step_with_roles``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from django.utils.translation import gettext_lazy as _

from cbec_talent.engines.simulation import (
    RoleDecisions,
    RoundResult,
    Scenario,
    TeamScore,
    model_role_decisions,
    score_roles,
    score_team,
)
from cbec_talent.engines.simulation.data import keyed_score
from cbec_talent.engines.simulation.roles import merge_roles

SELLER = "seller"
ROLES = ("seller", "buyer", "logistics", "customs_broker", "payment")
ROLE_LABELS = {
    "seller": _("Seller"),
    "buyer": _("Buyer"),
    "logistics": _("Logistics provider"),
    "customs_broker": _("Customs broker"),
    "payment": _("Payment provider"),
}
# role -> {RoleDecisions field: (min, max)}
ROLE_TERMS: dict[str, dict[str, tuple[float, float]]] = {
    "logistics": {"logistics_price": (0.5, 2.0), "logistics_effort": (0.0, 1.0)},
    "customs_broker": {"broker_fee": (0.0, 2000.0), "broker_accuracy": (0.0, 1.0)},
    "payment": {"payment_fee": (0.0, 0.1), "payment_spread": (0.0, 0.1)},
    "buyer": {"buyer_sensitivity": (0.5, 2.0)},
}

_MEMBER = re.compile(r"^\s*([^()（）\s]+)\s*(?:[(（]\s*([^()（）]*?)\s*[)）])?\s*$")


def parse_member(text: str) -> tuple[str, str | None] | None:
    """``"student2(logistics)"`` -> ``("student2", "logistics")``; ``"alice"`` -> ``("alice", None)``;
    None when the text is not a username with an optional bracketed role. Full-width brackets are accepted."""
    m = _MEMBER.match(text)
    if m is None:
        return None
    role = m.group(2)
    return m.group(1), (role.strip().lower() if role is not None else None)


def model_terms(scenario: Scenario, role: str) -> dict[str, float]:
    """The terms the model offers for a role (shown as the starting values of the role's form)."""
    model = model_role_decisions(scenario, 1)
    return {name: round(float(getattr(model, name)[0]), 4) for name in ROLE_TERMS[role]}


def check_terms(role: str, terms: Mapping[str, float]) -> list[str]:
    """Names of the fields of ``terms`` that are missing or out of the role's range."""
    bad = []
    for name, (lo, hi) in ROLE_TERMS[role].items():
        v = terms.get(name)
        if not isinstance(v, int | float) or isinstance(v, bool) or not lo <= v <= hi:
            bad.append(name)
    return bad


def round_roles(
    scenario: Scenario, teams: int, played: Mapping[int, Mapping[str, Mapping[str, float]]]
) -> RoleDecisions:
    """This round's terms for every group: the model's, overlaid by ``played[group][role] = {field: value}``."""
    overlay: dict[str, dict[int, float]] = {}
    for group, by_role in sorted(played.items()):
        for role, terms in sorted(by_role.items()):
            for name in ROLE_TERMS[role]:
                overlay.setdefault(name, {})[group] = float(terms[name])
    return merge_roles(model_role_decisions(scenario, teams), overlay)


def group_role_scores(
    results: Sequence[RoundResult], roles_by_round: Sequence[RoleDecisions], group: int
) -> dict[str, TeamScore]:
    """Every role's competency scores for one group over the rounds played.

    The seller is scored on the whole game (``score_team``). The other roles' terms may change every round, so
    each round is scored at the terms then in force (``score_roles``) and a role's score is the mean over the
    rounds; the explanation quotes the last round.
    """
    out: dict[str, TeamScore] = {SELLER: score_team(results, group)}
    per_round = [
        {ts.role: ts for ts in score_roles([res], rd, group)} for res, rd in zip(results, roles_by_round, strict=True)
    ]
    for role in ROLES[1:]:
        rounds = [pr[role] for pr in per_round]
        if not rounds:
            continue
        last = rounds[-1]
        scores = []
        for i, cs in enumerate(last.scores):
            mean = float(np.mean([ts.scores[i].score for ts in rounds]))
            last_round = {"key": cs.key, "params": cs.params}
            why = keyed_score(
                cs.code, round(mean, 1), "mean of %(n)s round(s); last round: %(last)s", n=len(rounds), last=last_round
            )
            scores.append(why)
        out[role] = TeamScore(team=group, role=role, scores=tuple(scores))
    return out
