"""Home-page cards of the practice simulator."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .models import SimulationSession


def cards(user) -> list[dict]:
    running = SimulationSession.objects.filter(status="running")
    if has_any_role(user, ("administrator", "director", "teacher")):
        return [
            {
                "key": "sessions",
                "value": running.count(),
                "label": _("Practice sessions running"),
                "url": reverse("practice:sessions"),
            }
        ]
    if user.has_role("student"):
        mine = running.filter(teams__members=user).distinct().count()
        return [
            {
                "key": "my_sessions",
                "value": mine,
                "label": _("My practice sessions running"),
                "url": reverse("practice:sessions"),
            }
        ]
    return []


def _deadline(session) -> str:
    from django.utils import timezone

    if session.deadline is None:
        return _("no deadline")
    return timezone.localtime(session.deadline).strftime("%Y-%m-%d %H:%M")


def workbench(user) -> list[dict]:
    """Student: the simulator decisions due this round and their deadline. Teacher: the running sessions to
    advance, with how many teams have submitted. Three queries whatever the number of sessions."""
    from django.db.models import Count

    from .models import RoundDecision, Team

    out: list[dict] = []
    if user.has_role("student"):
        teams = list(
            Team.objects.filter(members=user, session__status="running")
            .select_related("session")
            .order_by("session__deadline", "session_id")
        )
        done = set(RoundDecision.objects.filter(team__in=teams).values_list("team_id", "round"))
        rows = []
        for team in teams:
            s = team.session
            submitted = (team.pk, s.current_round) in done
            values = {"title": s.title, "team": team.name, "round": s.current_round + 1, "rounds": s.rounds}
            rows.append(
                {
                    "text": _("%(title)s · %(team)s: round %(round)d of %(rounds)d") % values,
                    "detail": (
                        _("submitted; you can still change it until %(deadline)s")
                        if submitted
                        else _("decisions due by %(deadline)s")
                    )
                    % {"deadline": _deadline(s)},
                    "url": reverse("practice:team", args=[team.pk]),
                    "state": "ok" if submitted else "due",
                    "data": f"decision:{team.pk}",
                }
            )
        due = sum(r["state"] == "due" for r in rows)
        out.append(
            {
                "role": "student",
                "key": "decisions_due",
                "order": 10,
                "title": _("Simulator decisions due"),
                "figure": str(due),
                "rows": rows,
                "empty": _("No practice session is running for you."),
            }
        )
    if has_any_role(user, ("teacher", "director", "administrator")):
        sessions = SimulationSession.objects.filter(status="running")
        if not has_any_role(user, ("director", "administrator")):
            sessions = sessions.filter(created_by=user)
        sessions = list(sessions.annotate(n_teams=Count("teams", distinct=True)).order_by("deadline", "id")[:20])
        counts: dict[tuple[int, int], int] = {}
        for sid, rnd in RoundDecision.objects.filter(team__session__in=sessions).values_list(
            "team__session_id", "round"
        ):
            counts[(sid, rnd)] = counts.get((sid, rnd), 0) + 1
        rows = []
        for s in sessions:
            n = counts.get((s.pk, s.current_round), 0)
            values = {"title": s.title, "round": s.current_round + 1, "rounds": s.rounds, "n": n, "teams": s.n_teams}
            rows.append(
                {
                    "text": _("%(title)s: round %(round)d of %(rounds)d, %(n)d of %(teams)d teams submitted") % values,
                    "detail": _("advance by %(deadline)s") % {"deadline": _deadline(s)},
                    "url": reverse("practice:session", args=[s.pk]),
                    "state": "due" if n >= s.n_teams else "info",
                    "data": f"session:{s.pk}",
                }
            )
        out.append(
            {
                "role": "teacher",
                "key": "sessions_to_advance",
                "order": 20,
                "title": _("Practice sessions to advance"),
                "figure": str(len(rows)),
                "rows": rows,
                "empty": _("No practice session of yours is running."),
                "link": {"url": reverse("practice:session_create"), "label": _("Open a new practice session")},
            }
        )
    return out
