"""/healthz for monitoring (no sign-in, figures only) and the administrator's job queue page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError

from . import selectors, services
from .access import access_jobs_for_user


@never_cache
@require_GET
def healthz(request):
    report = selectors.health()
    return JsonResponse(report, status=200 if report["status"] != "down" else 503)


@roles_required("administrator")
def job_queue(request):
    if not access_jobs_for_user(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED") else ""
    page = Paginator(selectors.jobs(status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "operations/job_queue.html",
        {
            "page": page,
            "rows": selectors.job_rows(page),
            "workers": selectors.workers(),
            "health": selectors.health(),
            "status": status,
        },
    )


@require_POST
@roles_required("administrator")
def job_retry(request, pk):
    if not access_jobs_for_user(request.user):
        raise PermissionDenied
    try:
        services.task_retry(task_id=pk, actor=request.user)
        messages.success(request, _("The job was queued again."))
    except CbecError as exc:
        messages.error(request, "; ".join(str(p.message) for p in exc.problems))
    return redirect("operations:jobs")
