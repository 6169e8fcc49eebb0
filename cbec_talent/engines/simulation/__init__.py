"""Practice simulator (teaching factory): a seeded, vectorised, round-based cross-border store model.

Public API::

    load_scenario(name_or_path) -> Scenario
    new_game(scenario, teams, seed) -> State
    step(state, decisions) -> (State, RoundResult)
    default_decisions(state) -> Decisions          # the bot policy for teams nobody plays
    score_team(results, team) -> TeamScore         # per-competency scores 0-100 with explanations
    run_game(scenario, teams, seed) -> (State, [RoundResult], RunRecord)
"""

from .data import Decisions, RoleDecisions, RoundResult, RunRecord, Scenario, State, TeamScore
from .engine import new_game, step
from .policy import blank_decisions, default_decisions, override
from .roles import model_role_decisions, score_roles, step_with_roles
from .runner import run_game, run_record
from .scenario import list_scenarios, load_scenario, replicate
from .scoring import score_team

__all__ = [
    "Decisions",
    "RoleDecisions",
    "RoundResult",
    "RunRecord",
    "Scenario",
    "State",
    "TeamScore",
    "new_game",
    "step",
    "blank_decisions",
    "default_decisions",
    "override",
    "model_role_decisions",
    "score_roles",
    "step_with_roles",
    "run_game",
    "run_record",
    "list_scenarios",
    "load_scenario",
    "replicate",
    "score_team",
]
