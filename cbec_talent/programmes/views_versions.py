"""Programme versions (copy, diff) and the optimiser run pages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.core.views import report_problems

from .access import EDIT_ROLES, READ_ROLES, access_programme_for_user
from .models import OptimiserRun, Programme
from .optimisation import optimiser_run_start
from .versioning import programme_copy, programme_diff


@roles_required(*EDIT_ROLES)
@require_POST
def programme_copy_view(request, pk):
    programme = access_programme_for_user(request.user, get_object_or_404(Programme, pk=pk), "change")
    version = request.POST.get("version", "").strip()[:40]
    if not version:
        messages.error(request, _("Give the new version a name."))
        return redirect("programmes:detail", pk=programme.pk)
    try:
        new = programme_copy(programme=programme, version=version, actor=request.user)
    except CbecError as exc:
        report_problems(request, exc)
        return redirect("programmes:detail", pk=programme.pk)
    messages.success(request, _("Copied to version %(v)s.") % {"v": new.version})
    return redirect("programmes:detail", pk=new.pk)


@roles_required(*READ_ROLES)
def programme_diff_view(request, pk):
    programme = access_programme_for_user(request.user, get_object_or_404(Programme, pk=pk))
    others = Programme.objects.filter(code=programme.code).exclude(pk=programme.pk).order_by("version")
    other = others.filter(pk=request.GET.get("other") or 0).first() if request.GET.get("other", "").isdigit() else None
    other = other or others.first()
    diff = programme_diff(other, programme) if other else None
    return render(
        request,
        "programmes/programme_diff.html",
        {"programme": programme, "others": others, "other": other, "diff": diff},
    )


@roles_required(*EDIT_ROLES)
@require_POST
def optimiser_start(request, pk):
    programme = access_programme_for_user(request.user, get_object_or_404(Programme, pk=pk), "change")
    direction = request.POST.get("direction", "").strip()[:40]
    run = optimiser_run_start(programme=programme, actor=request.user, direction=direction)
    return redirect("programmes:optimiser_run", pk=programme.pk, run=run.pk)


@roles_required(*READ_ROLES)
def optimiser_run_view(request, pk, run):
    programme = access_programme_for_user(request.user, get_object_or_404(Programme, pk=pk))
    run = get_object_or_404(OptimiserRun, pk=run, programme=programme)
    template = "programmes/_optimiser_progress.html" if request.htmx else "programmes/optimiser_run.html"
    by_semester: dict[int, list[str]] = {}
    for planned in (run.result or {}).get("plan", []):
        by_semester.setdefault(planned["semester"], []).append(planned["code"])
    from .selectors import optimiser_diff, optimiser_status_label

    context = {"programme": programme, "run": run, "by_semester": sorted(by_semester.items())}
    context["diff"] = optimiser_diff(programme, run)
    context["result_status"] = optimiser_status_label((run.result or {}).get("status", ""))
    return render(request, template, context)
