"""The internship cycle on a placement: tutors, check-ins, weekly logs with tutor comments, both tutors'
evaluations, the consistency findings, and the enterprise evaluation written into a course grade."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cbec_talent.core.access import ALL_ROLES, roles_required
from cbec_talent.core.views import run_service

from . import services
from .access import EDIT_ROLES, access_placement_for_user, tutor_side
from .findings import internship_findings, reason_lines
from .forms import CheckInForm, CommentForm, EvaluationForm, GradeTransferForm, TutorsForm, WeeklyLogForm
from .models import Placement, WeeklyLog

TUTOR_ROLES = ("teacher", "enterprise_tutor")


def _placement(request, pk, action):
    queryset = Placement.objects.select_related(
        "student__school_class__cohort", "post__enterprise", "school_tutor", "enterprise_tutor"
    )
    placement = get_object_or_404(queryset, pk=pk)
    return access_placement_for_user(request.user, placement, action)


def _done(request, placement, form, call):
    """Run a service when the form is valid; report problems as messages; back to the placement page."""
    run_service(request, lambda: call(form.cleaned_data), form=form)
    return redirect("partnerships:placement", placement.pk)


@roles_required(*ALL_ROLES)
def placement_detail(request, pk):
    placement = _placement(request, pk, "view")
    user = request.user
    side = tutor_side(user, placement)
    is_student = placement.student.user_id == user.pk
    can_change = user.has_role(*EDIT_ROLES)
    context = {
        "placement": placement,
        "findings": internship_findings(placement),
        "reasons": reason_lines(placement.reasons),
        "checkins": placement.checkins.all(),
        "logs": placement.weekly_logs.all(),
        "evaluations": placement.evaluations.select_related("by"),
        "side": side,
        "is_student": is_student,
        "can_change": can_change,
        "tutors_form": TutorsForm(
            placement=placement,
            initial={"school_tutor": placement.school_tutor_id, "enterprise_tutor": placement.enterprise_tutor_id},
        )
        if can_change
        else None,
        "checkin_form": CheckInForm() if is_student else None,
        "log_form": WeeklyLogForm() if is_student else None,
        "evaluation_form": EvaluationForm() if side else None,
        "comment_form": CommentForm() if side else None,
        "grade_form": GradeTransferForm(placement=placement) if can_change else None,
    }
    return render(request, "partnerships/placement_detail.html", context)


@roles_required(*EDIT_ROLES)
@require_POST
def placement_tutors(request, pk):
    placement = _placement(request, pk, "change")
    form = TutorsForm(request.POST, placement=placement)
    return _done(
        request, placement, form, lambda d: services.placement_update(placement=placement, actor=request.user, **d)
    )


@roles_required("student")
@require_POST
def checkin_add(request, pk):
    placement = _placement(request, pk, "write")
    form = CheckInForm(request.POST)
    return _done(request, placement, form, lambda d: services.checkin_create(placement=placement, **d))


@roles_required("student")
@require_POST
def weekly_log_add(request, pk):
    placement = _placement(request, pk, "write")
    form = WeeklyLogForm(request.POST)
    return _done(request, placement, form, lambda d: services.weekly_log_save(placement=placement, **d))


@roles_required(*TUTOR_ROLES)
@require_POST
def weekly_log_comment(request, pk):
    log = get_object_or_404(WeeklyLog.objects.select_related("placement__post__enterprise"), pk=pk)
    placement = access_placement_for_user(request.user, log.placement, "tutor")
    side = tutor_side(request.user, placement)
    form = CommentForm(request.POST)
    return _done(
        request, placement, form, lambda d: services.weekly_log_comment(log=log, side=side, comment=d["comment"])
    )


@roles_required(*TUTOR_ROLES)
@require_POST
def evaluate(request, pk):
    placement = _placement(request, pk, "tutor")
    side = tutor_side(request.user, placement)
    form = EvaluationForm(request.POST)
    return _done(
        request,
        placement,
        form,
        lambda d: services.evaluation_save(placement=placement, by=request.user, kind=side, **d),
    )


@roles_required(*EDIT_ROLES)
@require_POST
def evaluation_to_grade(request, pk):
    placement = _placement(request, pk, "change")
    form = GradeTransferForm(request.POST, placement=placement)
    return _done(
        request,
        placement,
        form,
        lambda d: services.evaluation_to_grade(placement=placement, component=d["component"], actor=request.user),
    )
