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
from . import roles as pr
from .access import player_role
from .models import (
    PracticeScore,
    RoleAssignment,
    RoleDecision,
    RoundDecision,
    RoundResult,
    SimulationSession,
    Team,
)

FIELD_RANGES = {"price": (0.0, 5.0), "ads": (0.0, 1e6), "reorder": (0, 10**6), "sea": (0, 10**6)}
TEAM_RANGES = {"lang_en": (0.0, 1.0), "lang_x": (0.0, 1.0), "images": (0.0, 1.0), "reply_hours": (0.0, 10_000.0)}


def _validate_teams(
    teams: list[tuple[str, list[str]]], multi_role: bool = False
) -> tuple[list[Problem], list[tuple[str, list[tuple[User, str]]]]]:
    """Check the team lines; members are usernames, in a multi-role session optionally ``name(role)``.
    Returns the problems and, per team, its (user, role) pairs (role ``seller`` when none is given)."""
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
        users, team_roles = [], set()
        for text in usernames:
            parsed = pr.parse_member(text)
            if parsed is None:
                problems.append(
                    Problem(
                        _("%(text)s is not a username with an optional (role).") % {"text": text},
                        row=row,
                        field="teams",
                    )
                )
                continue
            username, role = parsed
            if role is not None and not multi_role:
                problems.append(
                    Problem(
                        _("Roles such as %(text)s are only for multi-role sessions.") % {"text": text},
                        row=row,
                        field="teams",
                    )
                )
                continue
            if role is not None and role not in pr.ROLES:
                problems.append(
                    Problem(
                        _("Unknown role %(role)s for %(user)s; the roles are: %(roles)s.")
                        % {"role": role, "user": username, "roles": ", ".join(pr.ROLES)},
                        row=row,
                        field="teams",
                    )
                )
                continue
            if role is not None and role in team_roles:
                problems.append(
                    Problem(
                        _("The role %(role)s is given twice in team %(name)s.") % {"role": role, "name": name},
                        row=row,
                        field="teams",
                    )
                )
                continue
            if role is not None:
                team_roles.add(role)
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
            users.append((user, role or pr.SELLER))
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
    multi_role: bool = False,
) -> SimulationSession:
    """Open a session: teams are (name, [student usernames]); round 1 is open until now + round_hours.
    In a multi-role session a member may be written ``username(role)`` (rule in ``roles.py``)."""
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
    team_problems, resolved = _validate_teams(teams, multi_role)
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
        multi_role=multi_role,
    )
    session.full_clean()
    session.save()
    for index, (name, users) in enumerate(resolved):
        team = Team(session=session, index=index, name=name)
        team.full_clean()
        team.save()
        team.members.set([user for user, _role in users])
        if multi_role:
            for user, role in users:
                assignment = RoleAssignment(team=team, student=user, role=role)
                assignment.full_clean()
                assignment.save()
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
    role = player_role(actor, team)
    if role is None:
        raise CbecError([Problem(_("Only team members submit decisions."), field="team")])
    if role != pr.SELLER:
        raise CbecError([Problem(_("Only the team's sellers submit these decisions."), field="team")])
    problems = _check_fields(fields, len(rp.scenario(session.scenario).products))
    if problems:
        raise CbecError(problems)
    clean = {k: fields[k] for k in (*FIELD_RANGES, *TEAM_RANGES, "channel")}
    decision, _created = RoundDecision.objects.update_or_create(
        team=team, round=session.current_round, defaults={"decisions": clean, "submitted_by": actor}
    )
    return decision


@transaction.atomic
def role_decision_submit(*, team: Team, role: str, terms: dict, actor: User) -> RoleDecision:
    """Store (or replace) the terms the player of ``role`` sets for the current round of a multi-role session."""
    session = SimulationSession.objects.select_for_update().get(pk=team.session_id)
    if not session.is_running:
        raise CbecError([Problem(_("The session has finished."), field="round")])
    if role not in pr.ROLE_TERMS or player_role(actor, team) != role:
        raise CbecError([Problem(_("Only the player of this role submits its terms."), field="role")])
    bad = pr.check_terms(role, terms)
    if bad:
        raise CbecError([Problem(_("Value out of range."), field=name) for name in bad])
    clean = {name: float(terms[name]) for name in pr.ROLE_TERMS[role]}
    decision, _created = RoleDecision.objects.update_or_create(
        team=team, round=session.current_round, role=role, defaults={"terms": clean, "submitted_by": actor}
    )
    return decision


def role_terms_by_round(session: SimulationSession, upto: int) -> dict[int, dict[int, dict[str, dict]]] | None:
    """``{round: {team index: {role: terms}}}`` of a multi-role session; None for a plain session."""
    if not session.multi_role:
        return None
    out: dict[int, dict[int, dict[str, dict]]] = {}
    for d in RoleDecision.objects.filter(team__session=session, round__lt=upto).select_related("team"):
        out.setdefault(d.round, {}).setdefault(d.team.index, {})[d.role] = d.terms
    return out


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
        role_terms_by_round(session, session.current_round),
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
    game = rp.replay(session.scenario, session.seed, len(teams), r + 1, submitted, role_terms_by_round(session, r + 1))
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
    """One row per member and competency; in a multi-role session each member is scored on their own role."""
    for team in teams:
        if session.multi_role:
            by_role = pr.group_role_scores(game.results, game.roles, team.index)
            players = {a.student_id: a.role for a in team.role_players.all()}
        else:
            by_role, players = {pr.SELLER: score_team(game.results, team.index)}, {}
        for member in team.members.all():
            ts = by_role[players.get(member.pk, pr.SELLER)]
            for cs in ts.scores:
                PracticeScore.objects.update_or_create(
                    session=session,
                    student=member,
                    competency_code=cs.code,
                    defaults={
                        "team": team,
                        "score": float(cs.score),
                        "explanation": {
                            "text": cs.explanation,
                            "key": cs.key,
                            "params": cs.params,
                            "role": ts.role,
                            "team": team.name,
                        },
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
