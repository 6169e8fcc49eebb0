"""Writes to practice sessions: open a session, submit a round's decisions, advance a round, finish and score.

Advancing replays the session from its seed (``replay.py``), stores the new round's KPIs per team, and after the
last round stores every member's per-competency scores (``PracticeScore``) and the run record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cbec_talent.accounts.models import Role, User
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.engines.simulation import new_game, run_record, score_team

from . import replay as rp
from .models import PracticeScore, RoundDecision, RoundResult, SimulationSession, Team

FIELD_RANGES = {"price": (0.0, 5.0), "ads": (0.0, 1e6), "reorder": (0, 10**6), "sea": (0, 10**6)}
TEAM_RANGES = {"lang_en": (0.0, 1.0), "lang_x": (0.0, 1.0), "images": (0.0, 1.0), "reply_hours": (0.0, 10_000.0)}


def _validate_teams(teams: list[tuple[str, list[str]]]) -> tuple[list[Problem], list[tuple[str, list[User]]]]:
    problems, resolved, seen_names, seen_users = [], [], set(), {}
    if not teams:
        problems.append(Problem(_("Give at least one team."), field="teams"))
    for row, (name, usernames) in enumerate(teams, start=1):
        name = name.strip()
        if not name:
            problems.append(Problem(_("The team needs a name."), row=row, field="teams"))
        elif name in seen_names:
            problems.append(Problem(_("Team %(name)s appears twice.") % {"name": name}, row=row, field="teams"))
        seen_names.add(name)
        if not usernames:
            problems.append(Problem(_("Team %(name)s has no members.") % {"name": name}, row=row, field="teams"))
        users = []
        for username in usernames:
            user = User.objects.filter(username=username).first()
            if user is None or not user.has_role(Role.STUDENT):
                problems.append(
                    Problem(_("%(user)s is not a student user.") % {"user": username}, row=row, field="teams")
                )
                continue
            if username in seen_users:
                problems.append(
                    Problem(
                        _("%(user)s is already in team %(team)s.") % {"user": username, "team": seen_users[username]},
                        row=row,
                        field="teams",
                    )
                )
                continue
            seen_users[username] = name
            users.append(user)
        resolved.append((name, users))
    return problems, resolved


@transaction.atomic
def session_create(
    *,
    title: str,
    scenario: str,
    seed: int,
    rounds: int,
    round_hours: int,
    teams: list[tuple[str, list[str]]],
    actor: User,
    now: dt.datetime | None = None,
) -> SimulationSession:
    """Open a session: teams are (name, [student usernames]); round 1 is open until now + round_hours."""
    problems = []
    try:
        game = rp.scenario(scenario)
    except ValueError:
        game = None
        problems.append(Problem(_("Unknown scenario %(name)s.") % {"name": scenario}, field="scenario"))
    if game is not None and not 1 <= rounds <= game.rounds:
        problems.append(
            Problem(_("Rounds must be between 1 and %(n)d for this scenario.") % {"n": game.rounds}, field="rounds")
        )
    if round_hours < 1:
        problems.append(Problem(_("A round lasts at least one hour."), field="round_hours"))
    team_problems, resolved = _validate_teams(teams)
    problems += team_problems
    if problems:
        raise CbecError(problems)
    now = now or timezone.now()
    record = run_record(new_game(game, len(resolved), seed), interface="web practice session", rounds_played=rounds)
    session = SimulationSession(
        title=title.strip() or game.title,
        scenario=scenario,
        seed=seed,
        rounds=rounds,
        round_hours=round_hours,
        deadline=now + dt.timedelta(hours=round_hours),
        created_by=actor,
        run_record=dataclasses.asdict(record),
    )
    session.full_clean()
    session.save()
    for index, (name, users) in enumerate(resolved):
        team = Team(session=session, index=index, name=name)
        team.full_clean()
        team.save()
        team.members.set(users)
    return session


def _check_fields(fields: dict, products: int) -> list[Problem]:
    problems = []
    for key, (lo, hi) in FIELD_RANGES.items():
        values = fields.get(key)
        if not isinstance(values, list) or len(values) != products:
            problems.append(Problem(_("One value per product is needed."), field=key))
            continue
        for i, v in enumerate(values, start=1):
            if not isinstance(v, int | float) or not lo <= v <= hi:
                problems.append(Problem(_("Value out of range."), row=i, field=key))
    for key, (lo, hi) in TEAM_RANGES.items():
        v = fields.get(key)
        if not isinstance(v, int | float) or not lo <= v <= hi:
            problems.append(Problem(_("Value out of range."), field=key))
    if fields.get("channel") not in rp.CHANNELS:
        problems.append(Problem(_("Choose postal or express."), field="channel"))
    return problems


@transaction.atomic
def decision_submit(*, team: Team, fields: dict, actor: User) -> RoundDecision:
    """Store (or replace) the team's decisions for the session's current round."""
    session = SimulationSession.objects.select_for_update().get(pk=team.session_id)
    if not session.is_running:
        raise CbecError([Problem(_("The session has finished."), field="round")])
    if not team.members.filter(pk=actor.pk).exists():
        raise CbecError([Problem(_("Only team members submit decisions."), field="team")])
    problems = _check_fields(fields, len(rp.scenario(session.scenario).products))
    if problems:
        raise CbecError(problems)
    clean = {k: fields[k] for k in (*FIELD_RANGES, *TEAM_RANGES, "channel")}
    decision, _created = RoundDecision.objects.update_or_create(
        team=team, round=session.current_round, defaults={"decisions": clean, "submitted_by": actor}
    )
    return decision


def submitted_by_round(session: SimulationSession, upto: int) -> dict[int, dict[int, dict]]:
    out: dict[int, dict[int, dict]] = {}
    for d in RoundDecision.objects.filter(team__session=session, round__lt=upto).select_related("team"):
        out.setdefault(d.round, {})[d.team.index] = d.decisions
    return out


def session_replay(session: SimulationSession) -> rp.Replay:
    """The session's game up to the rounds played, rebuilt from the seed and the stored decisions."""
    return rp.replay(
        session.scenario,
        session.seed,
        session.teams.count(),
        session.current_round,
        submitted_by_round(session, session.current_round),
    )


@transaction.atomic
def session_advance(*, session: SimulationSession, actor: User | None = None, now: dt.datetime | None = None):
    """Play the current round (teams that did not submit get the bot's decisions) and open the next one;
    after the last round, finish the session and store every member's competency scores."""
    session = SimulationSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_running:
        raise CbecError([Problem(_("The session has finished."), field="round")])
    r = session.current_round
    teams = list(session.teams.order_by("index"))
    submitted = submitted_by_round(session, r + 1)
    game = rp.replay(session.scenario, session.seed, len(teams), r + 1, submitted)
    last = game.results[-1]
    for team in teams:
        RoundResult.objects.create(
            team=team,
            round=r,
            date=last.date,
            events=list(last.events),
            kpis=rp.team_kpis(last, team.index),
            bot_played=team.index not in submitted.get(r, {}),
        )
    session.current_round = r + 1
    now = now or timezone.now()
    if session.current_round >= session.rounds:
        session.status = SimulationSession.Status.FINISHED
        session.deadline = None
        _store_scores(session, teams, game)
    else:
        session.deadline = now + dt.timedelta(hours=session.round_hours)
    session.full_clean()
    session.save()
    return session


def _store_scores(session: SimulationSession, teams: list[Team], game: rp.Replay) -> None:
    for team in teams:
        ts = score_team(game.results, team.index)
        for member in team.members.all():
            for cs in ts.scores:
                PracticeScore.objects.update_or_create(
                    session=session,
                    student=member,
                    competency_code=cs.code,
                    defaults={
                        "team": team,
                        "score": float(cs.score),
                        "explanation": {"text": cs.explanation, "role": ts.role, "team": team.name},
                    },
                )


def advance_due_sessions(now: dt.datetime | None = None) -> list[int]:
    """Advance every running session whose round deadline has passed (one round each); returns their ids."""
    now = now or timezone.now()
    done = []
    for pk in SimulationSession.objects.filter(status=SimulationSession.Status.RUNNING, deadline__lte=now).values_list(
        "pk", flat=True
    ):
        session_advance(session=SimulationSession.objects.get(pk=pk), now=now)
        done.append(pk)
    return done
