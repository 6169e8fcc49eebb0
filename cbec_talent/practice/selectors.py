"""Reads of practice sessions: lists, the teacher's dashboard, leaderboard and charts, a team's page and debrief,
and the final scores the assessment app reads (``practice_scores_for``)."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from cbec_talent.competencies.models import Competency
from cbec_talent.core.access import has_any_role
from cbec_talent.engines.simulation import default_decisions, score_team

from . import replay as rp
from . import roles as pr
from .access import RUN_ROLES
from .explanations import score_text
from .models import PracticeScore, RoleDecision, RoundDecision, RoundResult, SimulationSession, Team
from .services import session_replay

CHART_KPIS = ("revenue", "margin", "cash", "rating")


def sessions_for_user(user):
    qs = SimulationSession.objects.select_related("created_by").annotate(n_teams=Count("teams", distinct=True))
    if not has_any_role(user, RUN_ROLES):
        qs = qs.filter(teams__members=user).distinct()
    return qs.order_by("-created_at")


def teams_for_user(user, session: SimulationSession) -> list[Team]:
    return list(session.teams.filter(members=user).order_by("index"))


def practice_scores_for(user):
    """Final per-competency practice scores of a student (one row per session and competency)."""
    return (
        PracticeScore.objects.filter(student=user)
        .select_related("session", "team")
        .order_by("session__created_at", "competency_code")
    )


def competency_names(codes) -> dict[str, str]:
    qs = Competency.objects.filter(framework__code="CBEC-REF", framework__is_reference=True, code__in=list(codes))
    return {c.code: c.name for c in qs}


def _chart_titles() -> dict[str, str]:
    return {
        "revenue": _("Revenue (CNY)"),
        "margin": _("Margin"),
        "cash": _("Cash (CNY)"),
        "rating": _("Rating (1-5)"),
    }


def _results_by_team(session: SimulationSession) -> dict[int, list[RoundResult]]:
    out: dict[int, list[RoundResult]] = {}
    for r in RoundResult.objects.filter(team__session=session).order_by("round"):
        out.setdefault(r.team_id, []).append(r)
    return out


def _summary(rows: list[RoundResult]) -> dict:
    revenue = sum(r.kpis.get("revenue") or 0.0 for r in rows)
    profit = sum(r.kpis.get("profit") or 0.0 for r in rows)
    on_time = [r.kpis["on_time_rate"] for r in rows if r.kpis.get("on_time_rate") is not None]
    return {
        "revenue": revenue,
        "profit": profit,
        "margin": profit / revenue if revenue > 0 else None,
        "cash": rows[-1].kpis.get("cash") if rows else None,
        "rating": rows[-1].kpis.get("rating") if rows else None,
        "on_time": sum(on_time) / len(on_time) if on_time else None,
        "bot_rounds": sum(1 for r in rows if r.bot_played),
    }


def leaderboard(session: SimulationSession, teams: list[Team]) -> list[dict]:
    """Teams ranked by cumulative profit over the rounds played."""
    by_team = _results_by_team(session)
    rows = [{"team": t, **_summary(by_team.get(t.pk, []))} for t in teams]
    rows.sort(key=lambda row: (-row["profit"], row["team"].index))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def chart_data(session: SimulationSession, teams: list[Team]) -> dict:
    """KPI line charts: one series per team, one point per round played."""
    by_team = _results_by_team(session)
    titles = _chart_titles()
    return {
        "rounds": list(range(1, session.current_round + 1)),
        "charts": [
            {
                "id": kpi,
                "title": titles[kpi],
                "series": [{"name": t.name, "data": [r.kpis.get(kpi) for r in by_team.get(t.pk, [])]} for t in teams],
            }
            for kpi in CHART_KPIS
        ],
    }


def session_dashboard(session: SimulationSession) -> dict:
    teams = list(
        session.teams.order_by("index").prefetch_related(
            "members",
            Prefetch(
                "decisions",
                queryset=RoundDecision.objects.filter(round=session.current_round).select_related("submitted_by"),
                to_attr="current_decisions",
            ),
            Prefetch(
                "role_decisions",
                queryset=RoleDecision.objects.filter(round=session.current_round).order_by("role"),
                to_attr="current_role_decisions",
            ),
        )
    )
    status = [
        {
            "team": t,
            "decision": (t.current_decisions or [None])[0],
            "roles": [pr.ROLE_LABELS[d.role] for d in t.current_role_decisions],
        }
        for t in teams
    ]
    events = (
        RoundResult.objects.filter(team__session=session, team__index=0)
        .exclude(events=[])
        .order_by("round")
        .values_list("round", "date", "events")
    )
    return {
        "teams": teams,
        "status": status,
        "leaderboard": leaderboard(session, teams),
        "charts": chart_data(session, teams),
        "events": [(r + 1, date, ", ".join(ev)) for r, date, ev in events],
        "scenario": rp.scenario(session.scenario),
    }


def role_players(team: Team) -> list[dict]:
    """A multi-role team's players: each role, its label and the usernames playing it (none: the model)."""
    by_role: dict[str, list[str]] = {}
    for a in team.role_players.select_related("student").order_by("student__username"):
        by_role.setdefault(a.role, []).append(a.student.username)
    return [{"role": r, "label": pr.ROLE_LABELS[r], "players": by_role.get(r, [])} for r in pr.ROLES]


def team_page(team: Team, role: str | None = None) -> dict:
    """A team's page: its KPIs per round, and the current round's form values (its own submission, else the bot's
    suggestion from the replayed state). ``role`` is the viewer's role: a non-seller player of a multi-role
    session gets their role's terms instead (own submission, else the model's terms)."""
    session = team.session
    game = rp.scenario(session.scenario)
    context = {
        "session": session,
        "scenario": game,
        "results": list(team.results.order_by("round")),
        "charts": chart_data(session, [team]),
        "submitted": None,
        "initial": None,
        "players": role_players(team) if session.multi_role else [],
        "role_submitted": None,
        "role_initial": None,
    }
    if session.is_running and role in pr.ROLE_TERMS:
        submitted = (
            RoleDecision.objects.filter(team=team, round=session.current_round, role=role)
            .select_related("submitted_by")
            .first()
        )
        context["role_submitted"] = submitted
        context["role_initial"] = submitted.terms if submitted is not None else pr.model_terms(game, role)
    elif session.is_running:
        submitted = team.decisions.filter(round=session.current_round).select_related("submitted_by").first()
        context["submitted"] = submitted
        if submitted is not None:
            context["initial"] = submitted.decisions
        else:
            state = session_replay(session).state
            context["initial"] = rp.to_fields(state, default_decisions(state), team.index)
    return context


def team_debrief(team: Team) -> dict:
    """Final (or so far) KPIs, per-competency scores with their explanations, and what went well or badly."""
    session = team.session
    game = session_replay(session)
    rows = list(team.results.order_by("round"))
    summary = _summary(rows)
    if not game.results:
        return {"session": session, "summary": summary, "scores": [], "well": [], "badly": [], "role_scores": []}
    ts = score_team(game.results, team.index)
    by_role = pr.group_role_scores(game.results, game.roles, team.index) if session.multi_role else {}
    names = competency_names({s.code for t in (ts, *by_role.values()) for s in t.scores})
    scores = [
        {"code": s.code, "name": names.get(s.code, ""), "score": s.score, "why": score_text(s)} for s in ts.scores
    ]
    others = [row for row in leaderboard(session, list(session.teams.all())) if row["team"].pk != team.pk]
    well, badly = judge(summary, rows, scores, others)
    role_scores = []
    if session.multi_role:
        for entry in role_players(team):
            entry["scores"] = [
                {"code": s.code, "name": names.get(s.code, ""), "score": s.score, "why": score_text(s)}
                for s in by_role[entry["role"]].scores
            ]
            role_scores.append(entry)
    return {
        "session": session,
        "summary": summary,
        "scores": scores,
        "well": well,
        "badly": badly,
        "role_scores": role_scores,
    }


def judge(summary: dict, rows: list[RoundResult], scores: list[dict], others: list[dict]) -> tuple[list, list]:
    """Plain-language findings from the numbers: strong and weak competencies, cash, stock-outs, delivery,
    rating, and profit against the other teams."""
    well, badly = [], []
    for s in scores:
        line = f"{s['code']} {s['name']}: {s['score']:.0f} — {s['why']}"
        if s["score"] >= 75:
            well.append(line)
        elif s["score"] < 50:
            badly.append(line)
    negative = sum(1 for r in rows if (r.kpis.get("cash") or 0.0) < 0)
    if negative:
        badly.append(_("Cash was negative in %(n)d round(s): overdraft interest ate into profit.") % {"n": negative})
    fills = [r.kpis["fill_rate"] for r in rows if r.kpis.get("fill_rate") is not None]
    if fills and min(fills) < 0.9:
        badly.append(_("Stock ran short: the lowest fill rate was %(v).0f%%.") % {"v": 100 * min(fills)})
    elif fills:
        well.append(_("Orders were filled from stock (lowest fill rate %(v).0f%%).") % {"v": 100 * min(fills)})
    if summary["on_time"] is not None:
        target = well if summary["on_time"] >= 0.9 else badly
        target.append(_("Mean on-time delivery rate %(v).0f%%.") % {"v": 100 * summary["on_time"]})
    if summary["rating"] is not None and summary["rating"] < 4.0:
        badly.append(
            _("The final rating %(v).2f is below 4: late parcels, returns or unanswered messages.")
            % {"v": summary["rating"]}
        )
    if others:
        mean = sum(o["profit"] for o in others) / len(others)
        line = _("Profit %(p).0f CNY against %(m).0f CNY for the other teams on average.") % {
            "p": summary["profit"],
            "m": mean,
        }
        (well if summary["profit"] >= mean else badly).append(line)
    if summary["bot_rounds"]:
        badly.append(
            _("%(n)d round(s) were played by the bot because the team submitted nothing.")
            % {"n": summary["bot_rounds"]}
        )
    return well, badly
