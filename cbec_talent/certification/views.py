"""Graduation audit pages: cohort summary (+ Excel/PDF), a student's audit (staff, or the student themself),
certificate entry and import, practice certification. Each view: access, form, one service/selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.cohorts.models import Cohort
from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.core.views import report_problems

from . import credit, exports, selectors, services
from .access import (
    AUDIT_ROLES,
    EDIT_ROLES,
    READ_ROLES,
    access_audit_for_user,
    access_cohort_summary_for_user,
    access_held_certificate_for_user,
    can_approve_credit,
    can_edit,
)
from .forms import CreditRequestForm, HeldCertificateForm, ImportForm, PracticeForm
from .models import HeldCertificate

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _student(request, pk, action="view"):
    student = selectors.student_with_cohort(pk)
    if student is None:
        raise Http404
    return access_audit_for_user(request.user, student, action)


@roles_required(*READ_ROLES)
def cohort_summary(request, pk):
    cohort = access_cohort_summary_for_user(request.user, get_object_or_404(Cohort, pk=pk))
    context = selectors.cohort_summary(cohort)
    context.update({"cohort": cohort, "can_edit": can_edit(request.user)})
    return render(request, "certification/cohort_summary.html", context)


@roles_required(*READ_ROLES)
def cohort_export(request, pk, fmt):
    cohort = access_cohort_summary_for_user(request.user, get_object_or_404(Cohort, pk=pk))
    if fmt == "pdf":
        try:
            response = HttpResponse(exports.cohort_audit_pdf(cohort), content_type="application/pdf")
        except CbecError as exc:
            report_problems(request, exc)
            return redirect("certification:cohort", pk=cohort.pk)
    else:
        response = HttpResponse(exports.cohort_audit_xlsx(cohort), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="graduation-audit-{cohort.pk}.{fmt}"'
    return response


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def certificate_import(request, pk):
    cohort = access_cohort_summary_for_user(request.user, get_object_or_404(Cohort, pk=pk))
    problems = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                n = services.held_certificates_import(
                    cohort=cohort, data=form.cleaned_data["file"].read(), actor=request.user
                )
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Imported %(n)d certificates.") % {"n": n})
                return redirect("certification:cohort", pk=cohort.pk)
    else:
        form = ImportForm()
    return render(
        request, "certification/certificate_import.html", {"cohort": cohort, "form": form, "problems": problems[:300]}
    )


@roles_required(*EDIT_ROLES)
def import_template(request, pk):
    access_cohort_summary_for_user(request.user, get_object_or_404(Cohort, pk=pk))
    response = HttpResponse(exports.import_template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="certificates.xlsx"'
    return response


@roles_required(*AUDIT_ROLES)
def my_audit(request):
    """A student's own audit (the login linked to a student record); 404 for logins without one."""
    student = selectors.student_of_user(request.user)
    if student is None:
        raise Http404
    return redirect("certification:student", pk=student.pk)


@roles_required(*AUDIT_ROLES)
def student_audit(request, pk):
    student = _student(request, pk)
    editable = can_edit(request.user)
    practice = selectors.practice_certification(student)
    audit = selectors.student_audit(student)
    context = {
        "student": student,
        "audit": audit,
        "credits": credit.student_credits(student),
        "can_approve": can_approve_credit(request.user),
        "credit_forms": [
            (held, CreditRequestForm(courses=courses, auto_id=f"id_credit{held.pk}_%s"))
            for held in audit.certificates
            if (courses := credit.creditable_courses(held))
        ]
        if editable
        else [],
        "can_edit": editable,
        "certificate_form": HeldCertificateForm(certificates=selectors.framework_certificates(student))
        if editable
        else None,
        "practice_form": PracticeForm(
            initial={
                "school_signed": bool(practice and practice.school_signed),
                "enterprise_signed": bool(practice and practice.enterprise_signed),
                "note": practice.note if practice else "",
            }
        )
        if editable
        else None,
    }
    return render(request, "certification/student_audit.html", context)


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def certificate_new(request, pk):
    student = _student(request, pk, "change")
    problems = []
    certificates = selectors.framework_certificates(student)
    if request.method == "POST":
        form = HeldCertificateForm(request.POST, certificates=certificates)
        if form.is_valid():
            try:
                services.held_certificate_create(student=student, actor=request.user, **form.cleaned_data)
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Certificate recorded."))
                return redirect("certification:student", pk=student.pk)
    else:
        form = HeldCertificateForm(certificates=certificates)
    return render(
        request, "certification/certificate_new.html", {"student": student, "form": form, "problems": problems}
    )


@roles_required(*EDIT_ROLES)
@require_POST
def certificate_delete(request, pk):
    held = access_held_certificate_for_user(request.user, get_object_or_404(HeldCertificate, pk=pk), "change")
    student_pk = held.student_id
    services.held_certificate_delete(held=held)
    messages.success(request, _("Certificate removed."))
    return redirect("certification:student", pk=student_pk)


@roles_required(*EDIT_ROLES)
@require_POST
def practice_set(request, pk):
    student = _student(request, pk, "change")
    form = PracticeForm(request.POST)
    if form.is_valid():
        services.practice_certification_set(student=student, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Practice certification saved."))
    return redirect("certification:student", pk=student.pk)
