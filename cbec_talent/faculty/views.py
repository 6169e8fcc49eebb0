"""Teacher-development pages: the list with its figures, a teacher's ledger, profile and ledger forms, the
ledger's Excel export and import, and the courses taught by enterprise part-time teachers. Each view: access,
form, one service or selector call, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.core.pdf import render_pdf
from cbec_talent.programmes.models import Programme

from . import exports, selectors, services
from .access import (
    EDIT_ROLES,
    PROFILE_ROLES,
    STAFF_ROLES,
    access_entry_for_user,
    access_teacher_for_user,
    can_edit,
    can_ledger,
)
from .forms import ENTRY_FORMS, FilterForm, ImportForm, TeacherForm
from .models import Teacher
from .rules import current_rule, rule_text
from .services import ENTRY_MODELS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEDGER_ROLES = (*EDIT_ROLES, "teacher")
ENTRY_TITLES = {
    "training": lambda: _("Training taken"),
    "practice": lambda: _("Enterprise practice"),
    "qualification": lambda: _("Qualification"),
}


def _problems_onto(form, exc: CbecError) -> None:
    for problem in exc.problems:
        field = problem.field if problem.field in form.fields else None
        if field == "enterprise_name":
            field = "enterprise"
        form.add_error(field, str(problem.message))


def _filters(request) -> FilterForm:
    form = FilterForm(request.GET or None)
    form.is_valid()
    return form


@roles_required(*STAFF_ROLES)
def index(request):
    filters = _filters(request)
    data = getattr(filters, "cleaned_data", {})
    rows = selectors.teacher_rows(kind=data.get("kind", ""), dual=data.get("dual", ""))
    return render(
        request,
        "faculty/index.html",
        {
            "rows": rows,
            "figures": selectors.figures(rows),
            "filters": filters,
            "query": request.GET.urlencode(),
            "rule_text": rule_text(),
            "rule": current_rule(),
            "can_edit": can_edit(request.user),
            "own": Teacher.objects.filter(user=request.user).first(),
        },
    )


@roles_required(*PROFILE_ROLES)
def mine(request):
    teacher = Teacher.objects.filter(user=request.user).first()
    if teacher is None:
        raise Http404(_("Your login is not linked to a teacher profile."))
    return redirect("faculty:teacher", pk=teacher.pk)


@roles_required(*PROFILE_ROLES)
def teacher_detail(request, pk):
    teacher = selectors.teacher_detail(pk)
    if teacher is None:
        raise Http404
    access_teacher_for_user(request.user, teacher, "view")
    return render(
        request,
        "faculty/teacher_detail.html",
        {
            "teacher": teacher,
            "status": selectors.status_of(teacher),
            "rule_text": rule_text(),
            "can_edit": can_edit(request.user),
            "can_ledger": can_ledger(request.user, teacher),
            "staff": request.user.has_role(*STAFF_ROLES),
        },
    )


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def teacher_create(request):
    form = TeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            teacher = services.teacher_create(**form.cleaned_data)
        except CbecError as exc:
            _problems_onto(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("faculty:teacher", pk=teacher.pk)
    return render(request, "faculty/teacher_form.html", {"form": form, "teacher": None})


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def teacher_edit(request, pk):
    teacher = access_teacher_for_user(request.user, get_object_or_404(Teacher, pk=pk), "change")
    form = TeacherForm(request.POST or None, instance=teacher)
    if request.method == "POST" and form.is_valid():
        try:
            services.teacher_update(teacher=teacher, **form.cleaned_data)
        except CbecError as exc:
            _problems_onto(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("faculty:teacher", pk=teacher.pk)
    return render(request, "faculty/teacher_form.html", {"form": form, "teacher": teacher})


def _kind_or_404(kind: str) -> str:
    if kind not in ENTRY_MODELS:
        raise Http404
    return kind


@roles_required(*LEDGER_ROLES)
@require_http_methods(["GET", "POST"])
def entry_add(request, pk, kind):
    kind = _kind_or_404(kind)
    teacher = access_teacher_for_user(request.user, get_object_or_404(Teacher, pk=pk), "ledger")
    form = ENTRY_FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ledger_entry_create(teacher=teacher, entry_type=kind, **form.cleaned_data)
        except CbecError as exc:
            _problems_onto(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("faculty:teacher", pk=teacher.pk)
    return render(
        request,
        "faculty/entry_form.html",
        {"form": form, "teacher": teacher, "kind": kind, "heading": ENTRY_TITLES[kind](), "entry": None},
    )


@roles_required(*LEDGER_ROLES)
@require_http_methods(["GET", "POST"])
def entry_edit(request, kind, pk):
    kind = _kind_or_404(kind)
    entry = get_object_or_404(ENTRY_MODELS[kind].objects.select_related("teacher"), pk=pk)
    access_entry_for_user(request.user, entry, "change")
    form = ENTRY_FORMS[kind](request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.ledger_entry_update(entry=entry, **form.cleaned_data)
        except CbecError as exc:
            _problems_onto(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("faculty:teacher", pk=entry.teacher_id)
    return render(
        request,
        "faculty/entry_form.html",
        {"form": form, "teacher": entry.teacher, "kind": kind, "heading": ENTRY_TITLES[kind](), "entry": entry},
    )


@roles_required(*LEDGER_ROLES)
@require_http_methods(["GET", "POST"])
def entry_delete(request, kind, pk):
    """GET: the confirmation page; POST: remove the entry."""
    kind = _kind_or_404(kind)
    entry = get_object_or_404(ENTRY_MODELS[kind].objects.select_related("teacher"), pk=pk)
    access_entry_for_user(request.user, entry, "change")
    if request.method == "GET":
        return render(
            request,
            "faculty/entry_delete.html",
            {"entry": entry, "teacher": entry.teacher, "kind": kind, "heading": ENTRY_TITLES[kind]()},
        )
    teacher_pk = entry.teacher_id
    services.ledger_entry_delete(entry=entry)
    messages.success(request, _("Entry removed."))
    return redirect("faculty:teacher", pk=teacher_pk)


@roles_required(*STAFF_ROLES)
def ledger_export(request):
    data = getattr(_filters(request), "cleaned_data", {})
    rows = selectors.teacher_rows(kind=data.get("kind", ""), dual=data.get("dual", ""))
    response = HttpResponse(exports.ledger_xlsx(rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="teacher-ledger.xlsx"'
    return response


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def ledger_import(request):
    problems = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                counts = services.ledger_import(data=form.cleaned_data["file"].read(), actor=request.user)
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _(
                        "Imported %(training)d training, %(practice)d enterprise practice and %(qualification)d "
                        "qualification entries; %(skipped)d rows were already in the ledger."
                    )
                    % counts,
                )
                return redirect("faculty:index")
    else:
        form = ImportForm()
    return render(request, "faculty/import.html", {"form": form, "problems": problems[:300]})


@roles_required(*EDIT_ROLES)
def import_template(request):
    response = HttpResponse(exports.import_template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="teacher-ledger-template.xlsx"'
    return response


@roles_required(*STAFF_ROLES)
def part_time_courses(request):
    programmes = list(selectors.programmes_taught())
    chosen = None
    wanted = request.GET.get("programme", "")
    if wanted.isdigit():
        chosen = get_object_or_404(Programme, pk=int(wanted))
    elif programmes:
        chosen = programmes[0]
    else:
        chosen = Programme.objects.order_by("-is_sample", "code", "version").first()
    return render(
        request,
        "faculty/part_time_courses.html",
        {
            "programmes": programmes,
            "programme": chosen,
            "courses": selectors.courses_with_part_time_teachers(chosen) if chosen else [],
            "uncovered": selectors.practical_courses_without_part_time_teachers(chosen) if chosen else [],
        },
    )


@roles_required(*STAFF_ROLES)
def ledger_pdf(request):
    """The teacher list with each teacher's dual-qualified status and reason, and the rule, printable (A4)."""
    data = getattr(_filters(request), "cleaned_data", {})
    rows = selectors.teacher_rows(kind=data.get("kind", ""), dual=data.get("dual", ""))
    try:
        pdf = render_pdf(
            "faculty/ledger_pdf.html",
            {"rows": rows, "figures": selectors.figures(rows), "rule_text": rule_text(), "today": dt.date.today()},
        )
    except CbecError as exc:
        messages.error(request, "; ".join(str(p.message) for p in exc.problems))
        return redirect("faculty:index")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="teacher-ledger.pdf"'
    return response
