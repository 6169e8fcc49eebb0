"""Alliance pages: staff manage enterprises, posts and the matching; enterprise tutors see only their own
enterprises' posts and interns; students apply with ranked preferences and see their placement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.cohorts.models import Student
from cbec_talent.core.access import ALL_ROLES, roles_required
from cbec_talent.core.errors import CbecError

from . import services
from .access import EDIT_ROLES, STAFF_ROLES, access_post_for_user, placements_for_user, posts_for_user
from .findings import internship_findings, reason_lines
from .forms import ApplyForm, EnterpriseForm, PostForm
from .models import Agreement, Enterprise, InternshipPost, MatchRun
from .selectors import applicants_with_fit, requirement_labels


@roles_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def enterprise_list(request):
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_role(*EDIT_ROLES):
            raise PermissionDenied
        if form.is_valid():
            services.enterprise_create(**form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("partnerships:enterprises")
    enterprises = Enterprise.objects.prefetch_related("agreements", "posts").order_by("name")
    return render(
        request,
        "partnerships/enterprise_list.html",
        {
            "enterprises": enterprises,
            "form": form,
            "agreement_kinds": Agreement.Kind.choices,
            "can_edit": request.user.has_role(*EDIT_ROLES),
        },
    )


@roles_required(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def post_list(request):
    posts = posts_for_user(request.user).prefetch_related("placements")
    form = None
    if request.user.has_role(*EDIT_ROLES):
        form = PostForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.post_create(**form.cleaned_data)
            except CbecError as exc:
                for problem in exc.problems:
                    form.add_error(None, str(problem.message))
            else:
                messages.success(request, _("Saved."))
                return redirect("partnerships:posts")
    elif request.method == "POST":
        return redirect("partnerships:posts")
    return render(request, "partnerships/post_list.html", {"posts": posts, "form": form})


@roles_required(*ALL_ROLES)
def post_detail(request, pk):
    post = access_post_for_user(request.user, get_object_or_404(InternshipPost, pk=pk))
    placements = list(placements_for_user(request.user).filter(post=post))
    for placement in placements:
        placement.reason_lines = reason_lines(placement.reasons)
    applicants = applicants_with_fit(post) if request.user.has_role(*STAFF_ROLES, "enterprise_tutor") else []
    can_rank = request.user.has_role(*EDIT_ROLES, "enterprise_tutor")  # a tutor sees only own enterprise's posts
    return render(
        request,
        "partnerships/post_detail.html",
        {
            "post": post,
            "placements": placements,
            "applicants": applicants,
            "can_rank": can_rank,
            "requirements": requirement_labels(post),
        },
    )


@roles_required("student")
@require_http_methods(["GET", "POST"])
def apply(request):
    student = Student.objects.filter(user=request.user).first()
    if student is None:
        messages.error(request, _("Your login is not linked to a student record yet; ask your teacher."))
        return redirect("home")
    posts = list(InternshipPost.objects.filter(is_open=True).select_related("enterprise"))
    current = {f"p{a.preference}": str(a.post_id) for a in student.applications.all()}
    form = ApplyForm(request.POST or None, posts=posts, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.applications_set(student=student, posts=form.ranked_posts())
        except CbecError as exc:
            for problem in exc.problems:
                form.add_error(None, str(problem.message))
        else:
            messages.success(request, _("Your preferences are saved."))
            return redirect("partnerships:apply")
    placement = getattr(student, "placement", None)
    return render(
        request,
        "partnerships/apply.html",
        {"form": form, "placement": placement, "reasons": reason_lines(placement.reasons) if placement else []},
    )


@roles_required(*EDIT_ROLES)
@require_POST
def match(request):
    run = services.match_run(actor=request.user)
    messages.success(
        request,
        _("Matching done: %(placed)d of %(students)d students placed; stable: %(stable)s.")
        % {"placed": run.placed, "students": run.students, "stable": _("yes") if run.stable else _("no")},
    )
    return redirect("partnerships:placements")


@roles_required(*ALL_ROLES)
def placement_list(request):
    placements = list(
        placements_for_user(request.user).prefetch_related(
            "checkins", "weekly_logs", "evaluations", "post__enterprise__agreements"
        )
    )
    for placement in placements:
        placement.findings = internship_findings(placement)
        placement.reason_lines = reason_lines(placement.reasons)
    run = MatchRun.objects.first() if request.user.has_role(*STAFF_ROLES) else None
    if run is not None:
        for entry in run.unplaced:
            entry["lines"] = reason_lines(entry.get("reasons")) or [entry.get("why", "")]
    return render(
        request,
        "partnerships/placement_list.html",
        {"placements": placements, "run": run, "can_match": request.user.has_role(*EDIT_ROLES)},
    )
