"""Creating-space pages: the project library with figures, project detail with teams and mentors, the team
suggestion for staff, competitions with results entry, a student's record and "my creating space"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cbec_talent.cohorts.models import Student
from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.core.views import report_problems, run_service

from . import exports, selectors, services
from .access import (
    COMPETITION_ROLES,
    EDIT_ROLES,
    STAFF_ROLES,
    VIEW_ROLES,
    access_competition_for_user,
    access_project_for_user,
    access_record_for_user,
    access_team_for_user,
    own_student,
    projects_for_user,
)
from .forms import (
    CompetitionForm,
    EntryForm,
    FilterForm,
    MemberForm,
    ProjectForm,
    ResultForm,
    SuggestForm,
    TeamForm,
)
from .models import Competition, Entry, Project, Team

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@roles_required(*VIEW_ROLES)
@require_GET
def index(request):
    visible = projects_for_user(request.user)
    names = selectors.competency_names()
    form = FilterForm(request.GET or None, names=names)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.project_list(visible, **{k: v for k, v in filters.items() if v})
    return render(
        request,
        "innovation/index.html",
        {
            "projects": projects,
            "form": form,
            "figures": selectors.figures(visible),
            "can_edit": request.user.has_role(*EDIT_ROLES),
            "can_see_competitions": request.user.has_role(*COMPETITION_ROLES),
            "student": own_student(request.user),
        },
    )


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def project_create(request):
    form = ProjectForm(request.POST or None, names=selectors.competency_names())
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(**form.cleaned_data)
        except CbecError as exc:
            for problem in exc.problems:
                form.add_error(None, str(problem.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("innovation:project", project.pk)
    return render(request, "innovation/project_form.html", {"form": form, "project": None})


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    project = access_project_for_user(request.user, get_object_or_404(Project, pk=pk), "change")
    form = ProjectForm(
        request.POST or None, names=selectors.competency_names(), initial=ProjectForm.initial_for(project)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, **form.cleaned_data)
        except CbecError as exc:
            for problem in exc.problems:
                form.add_error(None, str(problem.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("innovation:project", project.pk)
    return render(request, "innovation/project_form.html", {"form": form, "project": project})


@roles_required(*VIEW_ROLES)
@require_GET
def project_detail(request, pk):
    project = access_project_for_user(request.user, get_object_or_404(Project, pk=pk))
    teams = list(selectors.project_teams(project))
    staff = request.user.has_role(*STAFF_ROLES)
    student = own_student(request.user)
    for team in teams:
        team.coverage = selectors.team_coverage(project, team)
        team.is_mine = student is not None and any(m.student_id == student.pk for m in team.memberships.all())
    on_a_team = any(t.is_mine for t in teams)
    names = selectors.competency_names(project.competencies)
    return render(
        request,
        "innovation/project_detail.html",
        {
            "project": project,
            "teams": teams,
            "needs": [(c, names.get(c, "")) for c in project.competencies],
            "can_edit": request.user.has_role(*EDIT_ROLES),
            "student": student,
            "can_create_team": staff
            or (student is not None and project.status == Project.Status.OPEN and not on_a_team),
            "can_join": student is not None and project.status == Project.Status.OPEN and not on_a_team,
            "show_levels": staff,
            "team_form": TeamForm(),
            "member_form": MemberForm(),
        },
    )


@roles_required(*EDIT_ROLES)
@require_GET
def project_suggest(request, pk):
    project = access_project_for_user(request.user, get_object_or_404(Project, pk=pk), "suggest")
    form = SuggestForm(request.GET or None, initial={"k": min(3, project.team_size)})
    suggestion = None
    if form.is_valid():
        k = min(form.cleaned_data["k"], project.team_size)
        suggestion = selectors.suggest(project, k, form.cleaned_data.get("school_class"))
    elif not request.GET:
        suggestion = selectors.suggest(project, min(3, project.team_size))
    numbers = ", ".join(s.number for s in suggestion.students) if suggestion else ""
    return render(
        request,
        "innovation/project_suggest.html",
        {
            "project": project,
            "form": form,
            "suggestion": suggestion,
            "team_form": TeamForm(initial={"members": numbers}),
            "target": round(100 * selectors.COVER_TARGET),
            "show_levels": True,
        },
    )


@roles_required(*VIEW_ROLES)
@require_POST
def team_create(request, pk):
    project = access_project_for_user(request.user, get_object_or_404(Project, pk=pk), "team")
    form = TeamForm(request.POST)
    # a student creates a team of their own and may invite others later
    own = None if request.user.has_role(*EDIT_ROLES) else [own_student(request.user)]

    def create():
        members = own or form.cleaned_data["members"]
        services.team_create(project=project, name=form.cleaned_data["name"], members=members)

    run_service(request, create, form=form, success=_("Team created."))
    return redirect("innovation:project", project.pk)


@roles_required("student")
@require_POST
def team_join(request, pk):
    team = get_object_or_404(Team.objects.select_related("project"), pk=pk)
    access_project_for_user(request.user, team.project)
    access_team_for_user(request.user, team, "join")
    student = own_student(request.user)
    run_service(request, lambda: services.team_join(team=team, student=student), success=_("You joined the team."))
    return redirect("innovation:project", team.project_id)


@roles_required(*VIEW_ROLES)
@require_POST
def team_leave(request, pk):
    team = get_object_or_404(Team.objects.select_related("project"), pk=pk)
    if request.user.has_role(*EDIT_ROLES) and request.POST.get("student"):
        student = Student.objects.filter(number=request.POST["student"]).first()
    else:
        student = own_student(request.user)
    if student is None and not request.user.has_role(*EDIT_ROLES):
        raise PermissionDenied
    access_team_for_user(request.user, team, "leave", student=student)
    if student is None:
        messages.error(request, _("Name the student to take off the team."))
        return redirect("innovation:project", team.project_id)
    try:
        deleted = services.team_leave(team=team, student=student)
    except CbecError as exc:
        report_problems(request, exc)
    else:
        messages.success(request, _("The team was removed: it has no members left.") if deleted else _("Saved."))
    return redirect("innovation:project", team.project_id)


@roles_required(*EDIT_ROLES)
@require_POST
def team_member_add(request, pk):
    team = get_object_or_404(Team.objects.select_related("project"), pk=pk)
    access_team_for_user(request.user, team, "change")
    form = MemberForm(request.POST)
    run_service(request, lambda: services.team_join(team=team, student=form.cleaned_data["student"]), form=form)
    return redirect("innovation:project", team.project_id)


@roles_required(*COMPETITION_ROLES)
@require_http_methods(["GET", "POST"])
def competition_list(request):
    can_edit = request.user.has_role(*EDIT_ROLES)
    form = CompetitionForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                competition = services.competition_create(**form.cleaned_data)
            except CbecError as exc:
                for problem in exc.problems:
                    form.add_error(None, str(problem.message))
            else:
                messages.success(request, _("Saved."))
                return redirect("innovation:competition", competition.pk)
    return render(
        request,
        "innovation/competition_list.html",
        {"competitions": selectors.competition_list(), "form": form, "can_edit": can_edit},
    )


@roles_required(*COMPETITION_ROLES)
@require_GET
def competition_detail(request, pk):
    competition = access_competition_for_user(request.user, get_object_or_404(Competition, pk=pk))
    can_edit = request.user.has_role(*EDIT_ROLES)
    entries = list(selectors.competition_entries(competition))
    if can_edit:
        for entry in entries:
            entry.form = ResultForm(
                initial={"award": entry.award, "rank": entry.rank, "note": entry.note}, prefix=f"e{entry.pk}"
            )
    return render(
        request,
        "innovation/competition_detail.html",
        {
            "competition": competition,
            "entries": entries,
            "can_edit": can_edit,
            "entry_form": EntryForm() if can_edit else None,
        },
    )


@roles_required(*EDIT_ROLES)
@require_POST
def entry_add(request, pk):
    competition = access_competition_for_user(request.user, get_object_or_404(Competition, pk=pk), "change")
    form = EntryForm(request.POST)
    run_service(
        request, lambda: services.entry_create(competition=competition, team=form.cleaned_data["team"]), form=form
    )
    return redirect("innovation:competition", competition.pk)


@roles_required(*EDIT_ROLES)
@require_POST
def result_save(request, pk):
    entry = get_object_or_404(Entry.objects.select_related("competition", "team"), pk=pk)
    access_competition_for_user(request.user, entry.competition, "change")
    form = ResultForm(request.POST, prefix=f"e{entry.pk}")
    run_service(
        request,
        lambda: services.result_save(entry=entry, actor=request.user, **form.cleaned_data),
        form=form,
        success=_("Result saved."),
    )
    return redirect("innovation:competition", entry.competition_id)


@roles_required(*STAFF_ROLES)
@require_GET
def results_export(request):
    competition = student = None
    if request.GET.get("competition", "").isdigit():
        competition = get_object_or_404(Competition, pk=request.GET["competition"])
    if request.GET.get("student", "").isdigit():
        student = access_record_for_user(request.user, get_object_or_404(Student, pk=request.GET["student"]), "export")
    response = HttpResponse(exports.results_xlsx(competition, student), content_type=XLSX)
    suffix = f"-{competition.pk}" if competition else (f"-{student.number}" if student else "")
    response["Content-Disposition"] = f'attachment; filename="competition-results{suffix}.xlsx"'
    return response


def _record(request, student, *, mine: bool):
    return render(
        request,
        "innovation/record.html",
        {
            "record_student": student,
            "teams": selectors.student_teams(student) if student else [],
            "results": selectors.student_results(student) if student else [],
            "mine": mine,
            "can_export": request.user.has_role(*STAFF_ROLES),
        },
    )


@roles_required("student")
@require_GET
def me(request):
    return _record(request, own_student(request.user), mine=True)


@roles_required(*COMPETITION_ROLES)
@require_GET
def student_record(request, pk):
    student = access_record_for_user(request.user, get_object_or_404(Student, pk=pk))
    return _record(request, student, mine=student.user_id == request.user.pk)
