"""Practice pages: teachers open and run sessions, students submit their team's decisions and read the debrief."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.accounts.models import Role, User
from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError

from . import selectors, services
from .access import (
    PAGE_ROLES,
    RUN_ROLES,
    access_session_for_user,
    access_team_for_user,
    can_run_sessions,
    player_role,
)
from .forms import DecisionForm, RoleTermsForm, SessionForm
from .models import SimulationSession, Team
from .replay import scenario as load_game
from .roles import ROLE_LABELS, ROLE_TERMS, SELLER


@roles_required(*PAGE_ROLES)
def session_list(request):
    return render(
        request,
        "practice/session_list.html",
        {"sessions": selectors.sessions_for_user(request.user), "can_run": can_run_sessions(request.user)},
    )


@roles_required(*RUN_ROLES)
@require_http_methods(["GET", "POST"])
def session_create(request):
    problems = []
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **form.cleaned_data)
        except CbecError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Session opened: round 1 is open for decisions."))
            return redirect("practice:session", pk=session.pk)
    students = User.objects.filter(roles__role=Role.STUDENT).order_by("username")
    return render(request, "practice/session_create.html", {"form": form, "problems": problems, "students": students})


@roles_required(*PAGE_ROLES)
def session_detail(request, pk):
    session = access_session_for_user(request.user, get_object_or_404(SimulationSession, pk=pk))
    context = selectors.session_dashboard(session)
    context.update(
        {
            "session": session,
            "can_run": can_run_sessions(request.user),
            "my_teams": selectors.teams_for_user(request.user, session),
        }
    )
    return render(request, "practice/session_detail.html", context)


@roles_required(*RUN_ROLES)
@require_POST
def session_advance(request, pk):
    session = access_session_for_user(request.user, get_object_or_404(SimulationSession, pk=pk), "run")
    try:
        session = services.session_advance(session=session, actor=request.user)
    except CbecError as exc:
        messages.error(request, "; ".join(str(p) for p in exc.problems))
    else:
        if session.is_running:
            messages.success(request, _("Round %(n)d played.") % {"n": session.current_round})
        else:
            messages.success(request, _("The last round is played: the session is finished and scored."))
    return redirect("practice:session", pk=session.pk)


def _team_page(request, team, my_role, form=None, role_form=None, problems=()):
    """The team page: the seller's decision form for sellers, the role's terms form for other role players."""
    context = selectors.team_page(team, my_role)
    if form is None and my_role == SELLER and context["initial"]:
        form = DecisionForm(
            initial=DecisionForm.initial_from(context["initial"]), scenario=load_game(team.session.scenario)
        )
    if role_form is None and context["role_initial"]:
        role_form = RoleTermsForm(initial=context["role_initial"], role=my_role)
    context.update(
        {
            "team": team,
            "form": form,
            "role_form": role_form,
            "problems": problems,
            "is_member": my_role is not None,
            "my_role": my_role,
            "my_role_label": ROLE_LABELS.get(my_role, ""),
        }
    )
    return render(request, "practice/team_detail.html", context)


@roles_required(*PAGE_ROLES)
@require_http_methods(["GET", "POST"])
def team_detail(request, pk):
    team = get_object_or_404(Team.objects.select_related("session"), pk=pk)
    access_team_for_user(request.user, team, "submit" if request.method == "POST" else "view")
    my_role = player_role(request.user, team)
    game = load_game(team.session.scenario)
    problems, form = [], None
    if request.method == "POST":
        form = DecisionForm(request.POST, scenario=game)
        if form.is_valid():
            try:
                services.decision_submit(team=team, fields=form.to_fields(), actor=request.user)
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Decisions saved for round %(n)d.") % {"n": team.session.current_round + 1})
                return redirect("practice:team", pk=team.pk)
    return _team_page(request, team, my_role, form=form, problems=problems)


@roles_required(*PAGE_ROLES)
@require_POST
def team_role(request, pk, role):
    """A role player of a multi-role session submits the role's terms for the current round."""
    team = get_object_or_404(Team.objects.select_related("session"), pk=pk)
    access_team_for_user(request.user, team, "submit", role=role)
    if role not in ROLE_TERMS:
        raise Http404
    form, problems = RoleTermsForm(request.POST, role=role), []
    if form.is_valid():
        try:
            services.role_decision_submit(team=team, role=role, terms=form.cleaned_data, actor=request.user)
        except CbecError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Terms saved for round %(n)d.") % {"n": team.session.current_round + 1})
            return redirect("practice:team", pk=team.pk)
    return _team_page(request, team, role, role_form=form, problems=problems)


@roles_required(*PAGE_ROLES)
def team_debrief(request, pk):
    team = access_team_for_user(request.user, get_object_or_404(Team.objects.select_related("session"), pk=pk))
    context = selectors.team_debrief(team)
    context["team"] = team
    return render(request, "practice/team_debrief.html", context)
