"""Cohort, class, student-import, rule and plan pages. Each view: access, form, one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import SheetSpec, write_workbook
from cbec_talent.core.views import run_service
from cbec_talent.programmes.models import Course, Programme

from . import selectors, services
from .access import (
    EDIT_ROLES,
    READ_ROLES,
    access_cohort_for_user,
    access_plan_for_user,
    access_stage_gate_for_user,
    can_manage,
)
from .engine_io import college_rule
from .forms import ClassForm, CohortForm, CollegeRuleForm, ComponentFormSet, SettingForm, StageOpenForm, UploadForm
from .models import Cohort

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _problems_of(form) -> list[Problem]:
    return [Problem(str(m), field=f) for f, msgs in form.errors.items() for m in msgs]


@roles_required(*READ_ROLES)
def cohort_list(request):
    return render(
        request,
        "cohorts/cohort_list.html",
        {
            "cohorts": selectors.cohort_list(),
            "form": CohortForm(),
            "can_manage": can_manage(request.user),
            "rule": college_rule(),
        },
    )


@roles_required(*EDIT_ROLES)
@require_POST
def cohort_create(request):
    form = CohortForm(request.POST)
    if form.is_valid():
        try:
            cohort = services.cohort_create(**form.cleaned_data)
        except CbecError as exc:
            for p in exc.problems:
                messages.error(request, str(p))
        else:
            return redirect("cohorts:cohort", pk=cohort.pk)
    else:
        for p in _problems_of(form):
            messages.error(request, str(p))
    return redirect("cohorts:list")


@roles_required(*READ_ROLES)
def cohort_detail(request, pk):
    cohort = access_cohort_for_user(request.user, get_object_or_404(Cohort.objects.select_related("programme"), pk=pk))
    fig = selectors.cohort_figures(cohort)
    return render(
        request,
        "cohorts/cohort_detail.html",
        {
            "cohort": cohort,
            "classes": selectors.cohort_classes(cohort),
            "can_manage": can_manage(request.user),
            "class_form": ClassForm(),
            "fig": fig,
            "rows": selectors.programme_rows(fig),
            "risks": selectors.risk_rows(fig),
            "heatmap": selectors.heatmap(fig),
            "gate_rows": selectors.cohort_gate_rows(fig),
            "stage_form": StageOpenForm(),
        },
    )


@roles_required(*EDIT_ROLES)
@require_POST
def stage_open(request, pk):
    """The director opens a closed five-in-one stage for one student of the cohort early, with a reason
    (audited)."""
    from .models import Student

    access_stage_gate_for_user(request.user, None, "open")
    cohort = get_object_or_404(Cohort, pk=pk)
    student = get_object_or_404(
        Student.objects.select_related("school_class__cohort__programme"),
        pk=request.POST.get("student") if str(request.POST.get("student", "")).isdigit() else 0,
        school_class__cohort=cohort,
    )
    form = StageOpenForm(request.POST)
    run_service(
        request,
        lambda: services.stage_open_early(
            student=student, stage=form.cleaned_data["stage"], reason=form.cleaned_data["reason"], actor=request.user
        ),
        form=form,
        success=_("Stage opened early for %(student)s.") % {"student": student},
    )
    return redirect(f"{reverse('cohorts:cohort', args=[cohort.pk])}#stage-gates")


@roles_required(*EDIT_ROLES)
@require_POST
def class_create(request, pk):
    cohort = access_cohort_for_user(request.user, get_object_or_404(Cohort, pk=pk), "change")
    form = ClassForm(request.POST)
    try:
        if not form.is_valid():
            raise CbecError(_problems_of(form))
        services.school_class_create(cohort=cohort, **form.cleaned_data)
    except CbecError as exc:
        for p in exc.problems:
            messages.error(request, str(p))
    return redirect("cohorts:cohort", pk=cohort.pk)


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def student_import(request, pk):
    cohort = access_cohort_for_user(request.user, get_object_or_404(Cohort, pk=pk), "change")
    problems = []
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.students_import(cohort=cohort, data=form.cleaned_data["file"].read(), actor=request.user)
        except CbecError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Imported: %(created)d new, %(updated)d updated students.") % counts)
            return redirect("cohorts:cohort", pk=cohort.pk)
    return render(request, "cohorts/student_import.html", {"cohort": cohort, "form": form, "problems": problems})


@roles_required(*EDIT_ROLES)
def student_template(request, pk):
    cohort = access_cohort_for_user(request.user, get_object_or_404(Cohort, pk=pk), "change")
    first = cohort.classes.order_by("name").first()
    example = [("2026001", "张三", first.name if first else "", "DIR.OP", "英语")]
    data = write_workbook([(SheetSpec("Students", services.STUDENT_HEADERS), example)])
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="students-{cohort.pk}.xlsx"'
    return response


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def enrolment_import(request, pk):
    cohort = access_cohort_for_user(request.user, get_object_or_404(Cohort.objects.select_related("programme"), pk=pk))
    access_cohort_for_user(request.user, cohort, "change")
    problems = []
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.enrolments_import(
                cohort=cohort, data=form.cleaned_data["file"].read(), actor=request.user
            )
        except CbecError as exc:
            problems = exc.problems
        else:
            text = _("Enrolments imported: %(created)d new, %(updated)d with a new term, %(unchanged)d unchanged.")
            messages.success(request, text % counts)
            return redirect("cohorts:enrolment_import", pk=cohort.pk)
    return render(
        request,
        "cohorts/enrolment_import.html",
        {"cohort": cohort, "form": form, "problems": problems, "enrolments": selectors.cohort_enrolments(cohort)},
    )


@roles_required(*READ_ROLES)
def enrolment_template(request, pk):
    cohort = access_cohort_for_user(request.user, get_object_or_404(Cohort.objects.select_related("programme"), pk=pk))
    students = selectors.cohort_students(cohort)
    course = cohort.programme.courses.order_by("order").first()
    term = course.semesters[0] if course and course.semesters else 1
    example = [(s.number, course.code if course else "", term) for s in students[:3]] or [("2026001", "SP01", 1)]
    data = write_workbook([(SheetSpec("Enrolments", services.ENROLMENT_HEADERS), example)])
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="enrolments-{cohort.pk}.xlsx"'
    return response


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def college_rules(request):
    rule = college_rule()
    problems = []
    form = CollegeRuleForm(
        request.POST or None,
        initial={
            "min_practice_percent": rule.min_practice_percent,
            "max_component_percent": rule.max_component_percent,
        },
    )
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise CbecError(_problems_of(form))
            services.college_rule_update(**form.cleaned_data)
        except CbecError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("College rule saved; plans are checked against it when saved."))
            return redirect("cohorts:list")
    return render(request, "cohorts/college_rules.html", {"form": form, "problems": problems})


@roles_required(*READ_ROLES)
@require_http_methods(["GET", "POST"])
def plan_list(request, pk):
    programme = access_plan_for_user(request.user, get_object_or_404(Programme, pk=pk))
    setting = selectors.attainment_setting(programme)
    problems = []
    form = SettingForm(
        request.POST or None,
        initial={
            k: getattr(setting, k)
            for k in ("method", "target_percent", "threshold_percent", "risk_percent", "stage_threshold_percent")
        },
    )
    if request.method == "POST":
        access_plan_for_user(request.user, programme, "change")
        try:
            if not form.is_valid():
                raise CbecError(_problems_of(form))
            services.attainment_setting_update(programme=programme, **form.cleaned_data)
        except CbecError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Attainment method saved."))
            return redirect("cohorts:plans", pk=programme.pk)
    return render(
        request,
        "cohorts/plan_list.html",
        {
            "programme": programme,
            "rows": selectors.plan_overview(programme),
            "form": form,
            "problems": problems,
            "can_manage": can_manage(request.user),
            "rule": college_rule(),
        },
    )


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk, code):
    programme = get_object_or_404(Programme, pk=pk)
    course = access_plan_for_user(request.user, get_object_or_404(Course, programme=programme, code=code), "change")
    problems = []
    if request.method == "POST":
        formset = ComponentFormSet(request.POST)
        if formset.is_valid():
            components = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("code")]
            try:
                warnings = services.plan_save(course=course, components=components)
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Assessment plan of %(code)s saved.") % {"code": course.code})
                for w in warnings:
                    messages.warning(request, w)
                return redirect("cohorts:plans", pk=programme.pk)
    else:
        initial = [
            {"code": c.code, "kind": c.kind, "weight": c.weight, "competencies": " ".join(c.competencies)}
            for c in course.assessment_components.order_by("order", "id")
        ]
        formset = ComponentFormSet(initial=initial)
    return render(
        request,
        "cohorts/plan_edit.html",
        {"programme": programme, "course": course, "formset": formset, "problems": problems, "rule": college_rule()},
    )
