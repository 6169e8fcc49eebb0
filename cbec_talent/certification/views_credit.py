"""课证融通 pages: a programme's certificate coverage (modules, the courses that prepare them with hours, modules no
course prepares) with the mapping editor; 学分认定 requests from a student's audit page and the director's decision."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.programmes.models import Programme

from . import credit
from .access import (
    APPROVE_ROLES,
    EDIT_ROLES,
    READ_ROLES,
    access_audit_for_user,
    access_coverage_for_user,
    access_credit_for_user,
    can_edit,
)
from .forms import CreditRequestForm, ModuleCourseForm
from .models import CourseCredit, HeldCertificate, ModuleCourse


@roles_required(*READ_ROLES)
def programme_coverage(request, pk):
    programme = access_coverage_for_user(request.user, get_object_or_404(Programme, pk=pk))
    coverage = credit.programme_coverage(programme)
    return render(
        request,
        "certification/programme_coverage.html",
        {
            "programme": programme,
            "coverage": coverage,
            "unprepared": sum(len(c.unprepared) for c in coverage),
            "can_edit": can_edit(request.user),
            "form": ModuleCourseForm(programme=programme) if can_edit(request.user) else None,
        },
    )


@roles_required(*EDIT_ROLES)
@require_POST
def module_course_add(request, pk):
    programme = access_coverage_for_user(request.user, get_object_or_404(Programme, pk=pk), "change")
    form = ModuleCourseForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            credit.module_course_set(**form.cleaned_data)
        except CbecError as exc:
            messages.error(request, str(exc.problems[0]))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose a module, a course and the hours."))
    return redirect("certification:coverage", pk=programme.pk)


@roles_required(*EDIT_ROLES)
@require_POST
def module_course_delete(request, pk):
    link = get_object_or_404(ModuleCourse.objects.select_related("course"), pk=pk)
    access_coverage_for_user(request.user, link.course.programme, "change")
    programme_pk = link.course.programme_id
    credit.module_course_delete(link=link)
    messages.success(request, _("Removed."))
    return redirect("certification:coverage", pk=programme_pk)


@roles_required(*EDIT_ROLES)
@require_POST
def credit_request(request, pk):
    held = get_object_or_404(HeldCertificate.objects.select_related("student__school_class__cohort__programme"), pk=pk)
    access_audit_for_user(request.user, held.student, "change")
    access_credit_for_user(request.user, held, "request")
    form = CreditRequestForm(request.POST, courses=credit.creditable_courses(held))
    if form.is_valid():
        try:
            credit.credit_request(
                held=held, course=form.cleaned_data["course"], note=form.cleaned_data["note"], actor=request.user
            )
        except CbecError as exc:
            messages.error(request, str(exc.problems[0]))
        else:
            messages.success(request, _("Credit requested; it counts once the programme director approves it."))
    else:
        messages.error(request, _("Choose a course this certificate prepares."))
    return redirect("certification:student", pk=held.student_id)


@roles_required(*APPROVE_ROLES)
@require_POST
def credit_decide(request, pk):
    record = get_object_or_404(CourseCredit, pk=pk)
    access_credit_for_user(request.user, record, "decide")
    approve = request.POST.get("decision") == "approve"
    try:
        credit.credit_decide(credit=record, approve=approve, actor=request.user, note=request.POST.get("note", ""))
    except CbecError as exc:
        messages.error(request, str(exc.problems[0]))
    else:
        messages.success(request, _("Credit approved.") if approve else _("Credit rejected."))
    return redirect("certification:student", pk=record.student_id)
