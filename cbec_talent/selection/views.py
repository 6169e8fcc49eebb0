"""Class selection pages (order classes, the entrepreneurial class): directors and administrators edit, rank and
publish; teachers view; an enterprise tutor views the order-class selections of their own enterprises; a student
sees, once published, only whether he or she was selected."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.cohorts.forms import UploadForm
from cbec_talent.core.access import ALL_ROLES, has_any_role, roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.core.excel import SheetSpec, write_workbook
from cbec_talent.core.pdf import render_pdf

from . import selectors, services
from .access import EDIT_ROLES, VIEW_RESULT_ROLES, access_selection_for_user
from .forms import SelectionForm, SettingsForm
from .models import ClassSelection, SelectionCandidate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _selection(request, pk, action="view") -> ClassSelection:
    return access_selection_for_user(
        request.user, get_object_or_404(ClassSelection.objects.select_related("agreement__enterprise"), pk=pk), action
    )


@roles_required(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def selection_list(request):
    can_edit = request.user.has_role(*EDIT_ROLES)
    form = SelectionForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                selection = services.selection_create(**form.cleaned_data)
            except CbecError as exc:
                for problem in exc.problems:
                    form.add_error(problem.field if problem.field in form.fields else None, str(problem.message))
            else:
                messages.success(request, _("Saved."))
                return redirect("selection:detail", pk=selection.pk)
    rows = selectors.selection_rows(request.user)
    return render(request, "selection/list.html", {"rows": rows, "form": form, "can_edit": can_edit})


@roles_required(*ALL_ROLES)
def selection_detail(request, pk, problems=None, status=200):
    selection = _selection(request, pk)
    full = has_any_role(request.user, VIEW_RESULT_ROLES)
    context = {"selection": selection, "full": full, "problems": problems or []}
    if not full:  # a student: his or her own row only
        context["own"] = selection.candidates.filter(student__user=request.user).select_related("student").first()
        return render(request, "selection/detail.html", context, status=status)
    candidates = list(selection.candidates.select_related("student__school_class").order_by("rank", "student__number"))
    can_edit = request.user.has_role(*EDIT_ROLES) and not selection.is_published
    criteria = selection.labelled_criteria()
    context.update(
        {
            "criteria": criteria,
            "candidates": [
                {"candidate": c, "scores": [(k, c.score_of(k["code"]), c.source_of(k["code"])) for k in criteria]}
                for c in candidates
            ],
            "ranking": services.ranking_rows(selection, [c for c in candidates if c.rank is not None]),
            "rule": services.tie_rule(selection),
            "chart": selectors.ranking_chart(selection, candidates) if selection.is_ranked else None,
            "can_edit": can_edit,
            "settings_form": SettingsForm(
                selection=selection,
                initial={
                    "title": selection.title,
                    "quota": selection.quota,
                    **{f"w_{k['code']}": k["weight"] for k in criteria},
                },
            )
            if can_edit
            else None,
            "upload": UploadForm() if can_edit else None,
        }
    )
    return render(request, "selection/detail.html", context, status=status)


@roles_required(*EDIT_ROLES)
@require_POST
def selection_settings(request, pk):
    selection = _selection(request, pk, "change")
    form = SettingsForm(request.POST, selection=selection)
    if not form.is_valid():
        problems = [
            f"{form.fields[f].label if f in form.fields else ''}: {m}" for f, ms in form.errors.items() for m in ms
        ]
        return selection_detail(request, pk, problems=problems, status=400)
    try:
        services.selection_settings_save(
            selection=selection,
            title=form.cleaned_data["title"],
            quota=form.cleaned_data["quota"],
            weights=form.weights(),
        )
    except CbecError as exc:
        return selection_detail(request, pk, problems=exc.problems, status=400)
    messages.success(request, _("Saved."))
    return redirect("selection:detail", pk=pk)


@roles_required(*EDIT_ROLES)
@require_POST
def selection_import(request, pk):
    selection = _selection(request, pk, "change")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return selection_detail(request, pk, problems=[str(m) for ms in form.errors.values() for m in ms], status=400)
    try:
        counts = services.candidates_import(selection=selection, data=form.cleaned_data["file"].read())
    except CbecError as exc:
        return selection_detail(request, pk, problems=exc.problems, status=400)
    messages.success(request, _("Candidates imported: %(created)d new, %(updated)d updated.") % counts)
    return redirect("selection:detail", pk=pk)


@roles_required(*EDIT_ROLES)
def selection_template(request, pk):
    """The import sheet: the current candidates with the scores entered by hand, one column per criterion."""
    selection = _selection(request, pk, "change")
    codes = selection.criterion_codes
    headers = ["Student number", "Name", *codes]
    rows = [
        (c.student.number, c.student.name, *[c.scores.get(code) for code in codes])
        for c in selection.candidates.select_related("student").order_by("student__number")
    ]
    data = write_workbook([(SheetSpec(_("Candidates")[:31], headers), rows)])
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="selection-{selection.pk}-candidates.xlsx"'
    return response


@roles_required(*EDIT_ROLES)
@require_POST
def candidate_scores(request, pk):
    candidate = get_object_or_404(SelectionCandidate.objects.select_related("selection", "student"), pk=pk)
    selection = access_selection_for_user(request.user, candidate.selection, "change")
    scores = {
        code: request.POST.get(f"s_{code}", "") for code in selection.criterion_codes if f"s_{code}" in request.POST
    }
    try:
        services.candidate_scores_set(candidate=candidate, scores=scores)
    except CbecError as exc:
        return selection_detail(request, selection.pk, problems=exc.problems, status=400)
    messages.success(request, _("Saved."))
    return redirect("selection:detail", pk=selection.pk)


@roles_required(*EDIT_ROLES)
@require_POST
def candidate_remove(request, pk):
    candidate = get_object_or_404(SelectionCandidate.objects.select_related("selection"), pk=pk)
    selection = access_selection_for_user(request.user, candidate.selection, "change")
    try:
        services.candidate_remove(candidate=candidate)
    except CbecError as exc:
        return selection_detail(request, selection.pk, problems=exc.problems, status=400)
    return redirect("selection:detail", pk=selection.pk)


@roles_required(*EDIT_ROLES)
@require_POST
def selection_rank(request, pk):
    selection = _selection(request, pk, "change")
    try:
        services.selection_rank(selection=selection)
    except CbecError as exc:
        return selection_detail(request, pk, problems=exc.problems, status=400)
    messages.success(request, _("Ranked."))
    return redirect("selection:detail", pk=pk)


@roles_required(*EDIT_ROLES)
@require_POST
def selection_publish(request, pk):
    selection = _selection(request, pk, "change")
    try:
        services.selection_publish(selection=selection)
    except CbecError as exc:
        return selection_detail(request, pk, problems=exc.problems, status=400)
    messages.success(request, _("Published: the students can now see whether they were selected."))
    return redirect("selection:detail", pk=pk)


@roles_required(*VIEW_RESULT_ROLES)
def selection_export(request, pk):
    selection = _selection(request, pk, "result")
    criteria = selection.labelled_criteria()
    rule = services.tie_rule(selection)
    headers = [
        _("Place"),
        _("Student number"),
        _("Name"),
        _("Class"),
        *[f"{k['label']} ({k['weight']:g}%)" for k in criteria],
        *[_("Contribution: %(criterion)s") % {"criterion": k["label"]} for k in criteria],
        _("Weighted total"),
        _("Selected"),
        _("Tie-break"),
    ]
    rows = []
    for row in services.ranking_rows(selection, selectors.ranked_candidates(selection)):
        c = row["candidate"]
        contributions = {k["code"]: k for k in row["contributions"]}
        rows.append(
            (
                c.rank,
                c.student.number,
                c.student.name,
                c.student.school_class.name,
                *[contributions.get(k["code"], {}).get("score") for k in criteria],
                *[contributions.get(k["code"], {}).get("contribution") for k in criteria],
                float(c.total),
                _("yes") if c.selected else _("no"),
                f"{row['tie']['zh']} / {row['tie']['en']}" if row["tie"] else "",
            )
        )
    about = [
        (_("Name of the selection"), selection.title),
        (_("Kind"), selection.get_kind_display()),
        (_("Quota"), selection.quota),
        (_("Status"), selection.get_status_display()),
        (_("Ranking rule"), rule["zh"]),
        (_("Ranking rule"), rule["en"]),
    ]
    data = write_workbook(
        [
            (SheetSpec(_("Ranking")[:31], headers, widths=[8, 14, 14, 12]), rows),
            (SheetSpec(_("About")[:31], [_("Item"), _("Value")], widths=[20, 100]), about),
        ]
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="selection-{selection.pk}-ranking.xlsx"'
    return response


@roles_required(*VIEW_RESULT_ROLES)
def selection_pdf(request, pk):
    selection = _selection(request, pk, "result")
    try:
        data = render_pdf(
            "selection/pdf.html",
            {
                "selection": selection,
                "criteria": selection.labelled_criteria(),
                "ranking": services.ranking_rows(selection, selectors.ranked_candidates(selection)),
                "rule": services.tie_rule(selection),
            },
        )
    except CbecError as exc:
        messages.error(request, str(exc))
        return redirect("selection:detail", pk=pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="selection-{selection.pk}-ranking.pdf"'
    return response
