"""Grade entry, student profiles, class and cohort reports, explanations and exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.core.excel import SheetSpec, write_workbook
from cbec_talent.core.views import report_problems
from cbec_talent.engines.attainment import explain_cohort
from cbec_talent.programmes.models import Course

from . import exports, selectors, services
from .access import (
    GRADE_ROLES,
    PROFILE_ROLES,
    READ_ROLES,
    access_cohort_for_user,
    access_course_objectives_for_user,
    access_school_class_for_user,
    access_student_for_user,
    can_define_objectives,
)
from .forms import UploadForm
from .models import Cohort, SchoolClass, Student
from .views import XLSX


def _class_course(request, pk, course_pk, action="view"):
    school_class = get_object_or_404(SchoolClass.objects.select_related("cohort__programme"), pk=pk)
    access_school_class_for_user(request.user, school_class, action)
    course = get_object_or_404(Course, pk=course_pk, programme=school_class.cohort.programme)
    return school_class, course


@roles_required(*READ_ROLES)
def class_detail(request, pk):
    school_class = get_object_or_404(SchoolClass.objects.select_related("cohort__programme"), pk=pk)
    access_school_class_for_user(request.user, school_class)
    fig = selectors.class_figures(school_class)
    return render(
        request,
        "cohorts/class_detail.html",
        {
            "school_class": school_class,
            "fig": fig,
            "heatmap": selectors.heatmap(fig),
            "risks": selectors.risk_rows(fig),
            "courses": selectors.planned_courses(school_class.cohort.programme),
        },
    )


@roles_required(*GRADE_ROLES)
@require_http_methods(["GET", "POST"])
def grade_entry(request, pk, course_pk):
    school_class, course = _class_course(request, pk, course_pk, "grade")
    problems = []
    if request.method == "POST":
        entries, shown, versions = {}, {}, {}
        for key, value in request.POST.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] in ("g", "o", "v") and parts[1].isdigit() and parts[2].isdigit():
                {"g": entries, "o": shown, "v": versions}[parts[0]][(int(parts[1]), int(parts[2]))] = value
        seen = {k: (shown[k], int(versions[k])) for k in shown if k in versions and versions[k].isdigit()}
        try:
            counts = services.grades_save(
                school_class=school_class, course=course, entries=entries, actor=request.user, seen=seen or None
            )
        except CbecError as exc:
            problems = exc.problems
        else:
            messages.success(
                request, _("Grades saved: %(created)d new, %(updated)d corrected, %(deleted)d cleared.") % counts
            )
            return redirect("cohorts:grades", pk=school_class.pk, course_pk=course.pk)
    grid = selectors.grade_grid(school_class, course)
    if problems:  # show what the teacher typed, not the stored values (hidden: the stored ones, now)
        grid["seen_rows"] = [
            (s, [(c, request.POST.get(f"g-{s.pk}-{c.pk}", v), o, ver) for c, v, o, ver in cells])
            for s, cells in grid["seen_rows"]
        ]
    return render(
        request,
        "cohorts/grade_entry.html",
        {
            "school_class": school_class,
            "course": course,
            "problems": problems,
            "upload": UploadForm(),
            **grid,
            **selectors.practice_options(course),
        },
    )


@roles_required(*GRADE_ROLES)
def grade_template(request, pk, course_pk):
    school_class, course = _class_course(request, pk, course_pk, "grade")
    grid = selectors.grade_grid(school_class, course)
    headers = [services.GRADE_NUMBER_H, services.GRADE_NAME_H, *[c.code for c in grid["components"]]]
    rows = [(s.number, s.name, *[float(v) if v is not None else None for _c, v in cells]) for s, cells in grid["rows"]]
    data = write_workbook([(SheetSpec(services.grade_sheet_name(school_class), headers), rows)])
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="grades-{school_class.pk}-{course.code}.xlsx"'
    return response


@roles_required(*GRADE_ROLES)
@require_POST
def grade_import(request, pk, course_pk):
    school_class, course = _class_course(request, pk, course_pk, "grade")
    form = UploadForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        try:
            counts = services.grades_import(
                school_class=school_class, course=course, data=form.cleaned_data["file"].read(), actor=request.user
            )
        except CbecError as exc:
            problems = exc.problems
        else:
            messages.success(
                request, _("Grades imported: %(created)d new, %(updated)d corrected, %(deleted)d cleared.") % counts
            )
            return redirect("cohorts:grades", pk=school_class.pk, course_pk=course.pk)
    else:
        problems = [str(m) for msgs in form.errors.values() for m in msgs]
    grid = selectors.grade_grid(school_class, course)
    return render(
        request,
        "cohorts/grade_entry.html",
        {"school_class": school_class, "course": course, "problems": problems, "upload": form, **grid},
        status=400,
    )


@roles_required(*PROFILE_ROLES)
def my_profile(request):
    student = Student.objects.filter(user=request.user).first()
    if student is None:
        raise Http404(_("No student record is linked to your account."))
    return redirect("cohorts:student", pk=student.pk)


@roles_required(*PROFILE_ROLES)
def student_profile(request, pk):
    student = get_object_or_404(Student.objects.select_related("school_class__cohort__programme"), pk=pk)
    access_student_for_user(request.user, student)
    programme = student.school_class.cohort.programme
    positions = selectors.programme_positions(programme)
    code = request.GET.get("position", "")[:40]
    position = next((p for p in positions if p.code == code), positions[0] if positions else None)
    context = selectors.student_profile(student, position)
    context.update({"student": student, "positions": positions, "position": position})
    return render(request, "cohorts/student_profile.html", context)


@roles_required(*PROFILE_ROLES)
def student_explain(request, pk, code):
    student = get_object_or_404(Student.objects.select_related("school_class__cohort__programme"), pk=pk)
    access_student_for_user(request.user, student)
    fig, explanation = selectors.student_explanation(student, code[:40])
    if explanation is None:
        raise Http404
    return render(
        request,
        "cohorts/explain.html",
        {"student": student, "explanation": explanation, "name": fig.names.get(code, ""), "cohort": None},
    )


@roles_required(*READ_ROLES)
def cohort_explain(request, pk, code):
    cohort = access_cohort_for_user(request.user, get_object_or_404(Cohort, pk=pk))
    fig = selectors.cohort_figures(cohort)
    if fig.result is None or code not in fig.competencies or not fig.students:
        raise Http404
    return render(
        request,
        "cohorts/explain.html",
        {
            "cohort": cohort,
            "explanation": explain_cohort(fig.result, code),
            "name": fig.names.get(code, ""),
            "student": None,
        },
    )


@roles_required(*READ_ROLES)
def cohort_export_xlsx(request, pk):
    cohort = access_cohort_for_user(request.user, get_object_or_404(Cohort, pk=pk))
    response = HttpResponse(exports.cohort_report_xlsx(cohort), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-attainment.xlsx"'
    return response


@roles_required(*READ_ROLES)
def cohort_export_pdf(request, pk):
    cohort = access_cohort_for_user(request.user, get_object_or_404(Cohort, pk=pk))
    try:
        data = exports.cohort_report_pdf(cohort)
    except CbecError as exc:
        messages.error(request, str(exc))
        return redirect("cohorts:cohort", pk=cohort.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-attainment.pdf"'
    return response


@roles_required(*GRADE_ROLES)
@require_POST
def grades_from_practice(request, pk, course_pk):
    """Fill a simulation component with the scores of a finished practice session."""
    from cbec_talent.practice.models import SimulationSession

    school_class, course = _class_course(request, pk, course_pk, "grade")
    component = get_object_or_404(course.assessment_components, pk=request.POST.get("component") or 0)
    session = get_object_or_404(SimulationSession, pk=request.POST.get("session") or 0)
    try:
        counts = services.practice_scores_to_grades(
            school_class=school_class, component=component, session=session, actor=request.user
        )
    except CbecError as exc:
        report_problems(request, exc)
    else:
        text = _("Practice scores taken: %(created)d new, %(updated)d corrected, %(skipped)d not in the session.")
        messages.success(request, text % counts)
    return redirect("cohorts:grades", pk=school_class.pk, course_pk=course.pk)


def _objective_context(request, pk, course_pk):
    school_class = access_school_class_for_user(
        request.user, get_object_or_404(SchoolClass.objects.select_related("cohort__programme"), pk=pk), "grade"
    )
    course = get_object_or_404(Course, pk=course_pk, programme_id=school_class.cohort.programme_id)
    access_course_objectives_for_user(request.user, course, "view")
    return school_class, course


@roles_required(*GRADE_ROLES)
@require_http_methods(["GET", "POST"])
def objectives(request, pk, course_pk):
    """The course objectives of one class: attainment per objective and student, the report's term and the
    teacher's improvement measures, and the report (PDF, Word; Chinese, English)."""
    from cbec_talent.core.views import run_service

    school_class, course = _objective_context(request, pk, course_pk)
    if request.method == "POST":
        run_service(
            request,
            lambda: services.measures_save(
                course=course,
                school_class=school_class,
                term=request.POST.get("term", ""),
                measures_zh=request.POST.get("measures_zh", "")[:5000],
                measures_en=request.POST.get("measures_en", "")[:5000],
                actor=request.user,
            ),
        )
        return redirect("cohorts:objectives", pk=school_class.pk, course_pk=course.pk)
    figures = selectors.class_objectives(school_class, course)
    figures["can_define"] = can_define_objectives(request.user, course)
    return render(request, "cohorts/objectives.html", figures)


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace("，", ",").split(",") if c.strip()]


OBJECTIVE_FIELDS = ("code", "text_zh", "text_en", "competencies", "requirements", "target_percent")


def _objective_specs(post, components) -> list[dict]:
    """The editor's rows (code_N, text_zh_N, ..., points_N_<item>) as objectives_save specs; empty rows skipped."""
    specs = []
    for n in sorted({int(k.split("_")[-1]) for k in post if k.startswith("code_") and k.split("_")[-1].isdigit()}):
        row = {f: post.get(f"{f}_{n}", "").strip() for f in OBJECTIVE_FIELDS}
        items = {c.code: post.get(f"points_{n}_{c.code}", "").strip() for c in components}
        items = {code: v for code, v in items.items() if v}
        if not items and not any(row[f] for f in OBJECTIVE_FIELDS if f != "target_percent"):
            continue  # an empty row (the expected attainment has a default)
        specs.append(
            {
                **row,
                "competencies": [c.strip().upper() for c in _codes(row["competencies"])],
                "requirements": _codes(row["requirements"]),
                "target_percent": row["target_percent"] or "70",
                "items": items,
            }
        )
    return specs


def _editor_row(spec: dict, components) -> dict:
    """A submitted objective back as an editor row (after problems, so nothing typed is lost)."""
    return {
        **spec,
        "competencies": ", ".join(spec["competencies"]),
        "requirements": ", ".join(spec["requirements"]),
        "points": [(c.code, spec["items"].get(c.code, "")) for c in components],
    }


@roles_required(*GRADE_ROLES)
@require_http_methods(["GET", "POST"])
def objectives_define(request, course_pk):
    """Define a course's objectives (课程目标) - text, competencies, graduation requirements, expected attainment -
    and link its assessment items to them with their points: directors and the course's teachers."""
    course = get_object_or_404(Course.objects.select_related("programme"), pk=course_pk)
    access_course_objectives_for_user(request.user, course, "define")
    back = request.GET.get("class", "") or request.POST.get("class", "")
    problems = []
    editor = selectors.objective_editor(course)
    if request.method == "POST":
        specs = _objective_specs(request.POST, editor["components"])
        try:
            services.objectives_save(course=course, objectives=specs, actor=request.user)
        except CbecError as exc:
            problems = exc.problems
            editor["rows"] = [_editor_row(spec, editor["components"]) for spec in specs]
        else:
            messages.success(request, _("%(n)d course objectives saved.") % {"n": len(specs)})
            if back.isdigit():
                return redirect("cohorts:objectives", pk=int(back), course_pk=course.pk)
            return redirect("cohorts:objectives_define", course_pk=course.pk)
    return render(request, "cohorts/objectives_define.html", {**editor, "problems": problems, "back": back})


@roles_required(*GRADE_ROLES)
def objective_report(request, pk, course_pk, fmt):
    """课程目标达成情况分析报告 as PDF (CJK fonts) or Word, in ?lang=zh-hans (default) or en."""
    from django.utils import translation

    from cbec_talent.core.pdf import render_pdf

    school_class, course = _objective_context(request, pk, course_pk)
    lang = "en" if request.GET.get("lang", "").lower().startswith("en") else "zh-hans"
    figures = selectors.class_objectives(school_class, course)
    name = f"course-objectives-{course.code}-{school_class.pk}-{lang}"
    if fmt == "docx":
        data = exports.objective_report_docx(figures, lang)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
        return response
    report = figures["report"]
    with translation.override(lang):
        measures = (report.measures_zh if lang == "zh-hans" else report.measures_en) if report else ""
        try:
            data = render_pdf("cohorts/objective_report_pdf.html", {**figures, "measures": measures})
        except CbecError as exc:
            messages.error(request, str(exc))
            return redirect("cohorts:objectives", pk=school_class.pk, course_pk=course.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
