"""Programme pages: directors edit, teachers read. Each view: access, form, one service or selector, render."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.accounts.services import flag_set
from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.core.views import report_problems

from . import selectors, services
from .access import EDIT_ROLES, READ_ROLES, access_programme_for_user, can_edit_programmes
from .exporting import programme_pdf, programme_to_xlsx, xlsx_to_programme_document
from .forms import EditCourseForm, NewCourseForm, ProgrammeImportForm
from .models import Course, Programme


@roles_required(*READ_ROLES)
def programme_list(request):
    return render(
        request,
        "programmes/programme_list.html",
        {"programmes": selectors.programme_list(), "can_edit": can_edit_programmes(request.user)},
    )


@roles_required(*READ_ROLES)
def programme_detail(request, pk):
    programme = access_programme_for_user(request.user, get_object_or_404(Programme, pk=pk))
    scope = request.GET.get("scope", "ALL")[:40]
    context = selectors.programme_overview(programme, scope)
    context.update({"programme": programme, "can_edit": can_edit_programmes(request.user)})
    context["optimiser_runs"] = selectors.recent_optimiser_runs(programme) if context["can_edit"] else []
    return render(request, "programmes/programme_detail.html", context)


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def course_edit(request, pk, code):
    programme = access_programme_for_user(request.user, get_object_or_404(Programme, pk=pk), "change")
    course = get_object_or_404(Course, programme=programme, code=code)
    problems = []
    if request.method == "POST":
        form = EditCourseForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            expected = values.pop("lock_version", None)
            try:
                services.course_update(course=course, expected_version=expected, **values)
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Course %(code)s saved; the tables below are recomputed.") % {"code": code})
                return redirect("programmes:detail", pk=programme.pk)
    else:
        form = EditCourseForm(
            initial={
                "lock_version": programme.lock_version,
                "credits": course.credits,
                "theory_hours": course.theory_hours,
                "practice_hours": course.practice_hours,
                "semesters": ",".join(str(s) for s in course.semesters),
                "required": course.required,
                "prerequisites": ",".join(course.prerequisites),
                "teaching_mode": course.teaching_mode,
                "stage": course.stage,
                "supports": "\n".join(f"{k} {v}" for k, v in course.supports.items()),
            }
        )
    return render(
        request,
        "programmes/course_edit.html",
        {"programme": programme, "course": course, "form": form, "problems": problems},
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@roles_required(*READ_ROLES)
def programme_export(request, pk, fmt):
    programme = access_programme_for_user(request.user, get_object_or_404(Programme, pk=pk))
    if fmt == "pdf":
        try:
            response = HttpResponse(programme_pdf(programme), content_type="application/pdf")
        except CbecError as exc:
            report_problems(request, exc)
            return redirect("programmes:detail", pk=programme.pk)
    else:
        response = HttpResponse(programme_to_xlsx(programme), content_type=XLSX_TYPE)
    flag_set(user=request.user, key="guide:document")  # a step of the director's first-run guide
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{programme.code}-{programme.version}")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def programme_import(request):
    problems = []
    if request.method == "POST":
        form = ProgrammeImportForm(request.POST, request.FILES)
        if form.is_valid():
            framework = form.cleaned_data["framework"]
            try:
                document = xlsx_to_programme_document(form.cleaned_data["file"].read(), framework=framework)
                programme = services.programme_import(
                    document=document,
                    framework=framework,
                    actor=request.user,
                    version=form.cleaned_data["version"] or None,
                )
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Imported the programme %(p)s.") % {"p": programme})
                return redirect("programmes:detail", pk=programme.pk)
    else:
        form = ProgrammeImportForm()
    return render(request, "programmes/programme_import.html", {"form": form, "problems": problems[:300]})


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def course_new(request, pk):
    programme = access_programme_for_user(request.user, get_object_or_404(Programme, pk=pk), "change")
    problems = []
    if request.method == "POST":
        form = NewCourseForm(request.POST, programme=programme)
        if form.is_valid():
            try:
                course = services.course_create(programme=programme, **form.cleaned_data)
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(
                    request, _("Course %(code)s saved; the tables below are recomputed.") % {"code": course.code}
                )
                return redirect("programmes:detail", pk=programme.pk)
    else:
        form = NewCourseForm(
            programme=programme,
            initial={"required": True, "semesters": "1", "credits": 2, "theory_hours": 32, "practice_hours": 0},
        )
    return render(
        request,
        "programmes/course_edit.html",
        {"programme": programme, "course": None, "form": form, "problems": problems},
    )


@roles_required(*EDIT_ROLES)
@require_POST
def course_delete(request, pk, code):
    programme = access_programme_for_user(request.user, get_object_or_404(Programme, pk=pk), "change")
    course = get_object_or_404(Course, programme=programme, code=code)
    try:
        services.course_delete(course=course)
    except CbecError as exc:
        report_problems(request, exc)
        return redirect("programmes:course_edit", pk=programme.pk, code=code)
    messages.success(request, _("Course %(code)s deleted.") % {"code": code})
    return redirect("programmes:detail", pk=programme.pk)
