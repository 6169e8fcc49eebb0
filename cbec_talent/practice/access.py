"""Who may see or run a practice session: staff run sessions; a student sees only sessions and teams they are in."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

RUN_ROLES = ("administrator", "director", "teacher")
PLAY_ROLES = ("student",)
PAGE_ROLES = RUN_ROLES + PLAY_ROLES


def can_run_sessions(user) -> bool:
    return has_any_role(user, RUN_ROLES)


def access_session_for_user(user, session, action: str = "view"):
    """``view``: staff, or a student in one of the session's teams; ``run`` (advance, dashboard): staff."""
    if can_run_sessions(user):
        allowed = action in ("view", "run")
    elif action == "view" and has_any_role(user, PLAY_ROLES):
        allowed = session.teams.filter(members=user).exists()
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied
    return session


def access_team_for_user(user, team, action: str = "view", role: str = "seller"):
    """``view`` (KPIs, debrief): staff or a member; ``submit`` (a role's form, the seller's decisions by
    default): members who play ``role`` (every member plays the seller in a plain session)."""
    member = has_any_role(user, PLAY_ROLES) and team.members.filter(pk=user.pk).exists()
    if action == "view":
        allowed = member or can_run_sessions(user)
    elif action == "submit":
        allowed = member and player_role(user, team) == role
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied
    return team


def player_role(user, team) -> str | None:
    """The role a member plays in the team (``seller`` in a plain session); None for a non-member."""
    if not team.members.filter(pk=user.pk).exists():
        return None
    if not team.session.multi_role:
        return "seller"
    assignment = team.role_players.filter(student=user).first()
    return assignment.role if assignment is not None else "seller"
