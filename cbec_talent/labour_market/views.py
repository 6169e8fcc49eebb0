"""Labour-market pages: import postings (directors, administrators), demand dashboard and gap report (staff).
Each view: access, form, one service or selector, render."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.accounts.services import flag_set
from cbec_talent.cohorts.access import access_cohort_for_user
from cbec_talent.competencies.models import Framework
from cbec_talent.core.access import has_any_role, roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.programmes.access import EDIT_ROLES as PROGRAMME_EDIT_ROLES
from cbec_talent.programmes.access import access_programme_for_user
from cbec_talent.programmes.models import Programme
from cbec_talent.programmes.optimisation import optimiser_run_start

from . import exporting, selectors, services
from .access import IMPORT_ROLES, READ_ROLES, access_posting_import_for_user, can_correct_occupation, can_import
from .forms import MappingForm, UploadForm
from .models import Posting, PostingImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_id(request) -> int | None:
    value = request.GET.get("import", "")
    return int(value) if value.isdigit() else None


def _programme(request) -> Programme | None:
    value = request.GET.get("programme", "")
    if value.isdigit():
        return get_object_or_404(Programme, pk=int(value))
    return Programme.objects.order_by("code", "version").first()


@roles_required(*IMPORT_ROLES)
@require_http_methods(["GET", "POST"])
def import_list(request):
    problems = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                imp = services.import_create(
                    uploaded_file=form.cleaned_data["file"], framework=form.cleaned_data["framework"],
                    actor=request.user,
                )  # fmt: skip
            except CbecError as exc:
                problems = exc.problems
            else:
                return redirect("labour_market:import_detail", pk=imp.pk)
    else:
        reference = Framework.objects.filter(is_reference=True).first()
        form = UploadForm(initial={"framework": reference})
    return render(
        request,
        "labour_market/import_list.html",
        {
            "form": form,
            "problems": problems,
            "imports": selectors.import_list(),
            "limit": services.postings_max_bytes(),
            "xlsx_limit": settings.UPLOAD_MAX_BYTES,
        },
    )


@roles_required(*IMPORT_ROLES)
@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    imp = access_posting_import_for_user(request.user, get_object_or_404(PostingImport, pk=pk), "change")
    problems = []
    form = None
    if imp.status == PostingImport.Status.MAPPING:
        if request.method == "POST":
            form = MappingForm(request.POST, headers=imp.headers)
            if form.is_valid():
                try:
                    services.import_start(
                        posting_import=imp, mapping=form.mapping(), keep_good_rows=form.cleaned_data["keep_good_rows"]
                    )
                except CbecError as exc:
                    problems = exc.problems
                else:
                    return redirect("labour_market:import_detail", pk=imp.pk)
        else:
            form = MappingForm(headers=imp.headers, initial={f"map_{t}": c for t, c in imp.mapping.items()})
    return render(request, "labour_market/import_detail.html", {"imp": imp, "form": form, "problems": problems})


@roles_required(*IMPORT_ROLES)
def import_progress(request, pk):
    imp = access_posting_import_for_user(request.user, get_object_or_404(PostingImport, pk=pk), "change")
    return render(request, "labour_market/_progress.html", {"imp": imp})


@roles_required(*IMPORT_ROLES)
@require_POST
def import_retag(request, pk):
    imp = access_posting_import_for_user(request.user, get_object_or_404(PostingImport, pk=pk), "change")
    try:
        imp = services.import_retag(posting_import=imp, actor=request.user)
    except CbecError as exc:
        messages.error(request, str(exc))
    else:
        if imp.retagging:
            messages.success(request, _("The postings are being tagged again; the figures change when it is done."))
        else:
            messages.success(request, imp.message)
    return redirect("labour_market:import_detail", pk=imp.pk)


@roles_required(*READ_ROLES)
def dashboard(request):
    import_id = _import_id(request)
    figures = selectors.demand_dashboard(import_id)
    return render(
        request,
        "labour_market/dashboard.html",
        {
            **figures,
            "imports": selectors.finished_imports(),
            "import_id": import_id,
            "can_import": can_import(request.user),
        },
    )


@roles_required(*READ_ROLES)
def dashboard_export(request):
    data = exporting.dashboard_xlsx(selectors.demand_dashboard(_import_id(request), top=50))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="demand-figures.xlsx"'
    return response


def _cohort(request, programme):
    """The ?cohort= of the gap report when it belongs to the programme (another programme's cohort is ignored)."""
    value = request.GET.get("cohort", "")
    if not value.isdigit() or programme is None:
        return None
    cohort = selectors.cohort_options(programme).filter(pk=int(value)).first()
    return access_cohort_for_user(request.user, cohort) if cohort else None


@roles_required(*READ_ROLES)
def gap(request):
    programme = _programme(request)
    import_id = _import_id(request)
    cohort = _cohort(request, programme)
    report = selectors.gap_report(programme, import_id, cohort) if programme else None
    if report is not None:
        flag_set(user=request.user, key="guide:gap")  # a step of the director's first-run guide
    return render(
        request,
        "labour_market/gap.html",
        {
            "programme": programme,
            "programmes": Programme.objects.order_by("code", "version"),
            "imports": selectors.finished_imports(),
            "import_id": import_id,
            "cohorts": selectors.cohort_options(programme) if programme else [],
            "cohort": cohort,
            "report": report,
            "can_import": can_import(request.user),
            "weights_json": json.dumps(report["weights"], ensure_ascii=False, indent=2) if report else "{}",
        },
    )


@roles_required(*READ_ROLES)
def gap_export(request):
    programme = _programme(request)
    if programme is None:
        return redirect("labour_market:gap")
    report = selectors.gap_report(programme, _import_id(request), _cohort(request, programme))
    data = exporting.gap_xlsx(programme, report)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="gap-{programme.code}.xlsx"'
    return response


@roles_required(*READ_ROLES)
def gap_weights(request):
    programme = _programme(request)
    if programme is None:
        return redirect("labour_market:gap")
    report = selectors.gap_report(programme, _import_id(request))
    response = HttpResponse(
        json.dumps(report["weights"], ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="demand-weights.json"'
    return response


@roles_required(*PROGRAMME_EDIT_ROLES)
@require_POST
def gap_optimise(request):
    """Hand the demand weights of the gap report to the programme optimiser (a background run)."""
    programme = _programme(request)
    if programme is None:
        return redirect("labour_market:gap")
    access_programme_for_user(request.user, programme, "change")
    import_id = _import_id(request)
    report = selectors.gap_report(programme, import_id)
    source = _("Demand weights from %(n)d postings") % {"n": report["postings"]}
    run = optimiser_run_start(programme=programme, actor=request.user, weights=report["weights"], weights_source=source)
    return redirect("programmes:optimiser_run", pk=programme.pk, run=run.pk)


@roles_required(*READ_ROLES)
def alert_detail(request, pk):
    """One demand-shift alert: each change, the programme's coverage of it, and the button that re-runs the
    optimiser with the new import's demand weights (its run page shows the programme diff)."""
    from .access import access_alert_for_user
    from .models import DemandShiftAlert

    alert = access_alert_for_user(
        request.user, get_object_or_404(DemandShiftAlert.objects.select_related("posting_import", "previous"), pk=pk)
    )
    programme = _programme(request)
    rows, programme = selectors.alert_rows(alert, programme)
    return render(
        request,
        "labour_market/alert_detail.html",
        {
            "alert": alert,
            "rows": rows,
            "programme": programme,
            "programmes": Programme.objects.order_by("code", "version"),
            "can_optimise": has_any_role(request.user, PROGRAMME_EDIT_ROLES),
        },
    )


@roles_required(*IMPORT_ROLES)
@require_http_methods(["GET", "POST"])
def alert_settings(request):
    from cbec_talent.core.views import run_service

    from . import alerts
    from .forms import AlertSettingForm

    setting = alerts.alert_setting()
    form = AlertSettingForm(
        request.POST or None,
        initial={"min_effect_percent": setting.min_effect_percent, "alpha": setting.alpha, "email": setting.email},
    )
    if request.method == "POST" and run_service(
        request, lambda: alerts.alert_setting_update(**form.cleaned_data), form=form
    ):
        return redirect("labour_market:alert_settings")
    return render(
        request,
        "labour_market/alert_settings.html",
        {"form": form, "alerts": selectors.latest_alerts(20)},
    )


@roles_required(*READ_ROLES)
def occupations(request):
    """Postings by coded occupation, major group -> detailed occupation."""
    import_id = _import_id(request)
    return render(
        request,
        "labour_market/occupations.html",
        {
            **selectors.occupation_hierarchy(import_id),
            "imports": selectors.finished_imports(),
            "import_id": import_id,
            "can_import": can_import(request.user),
        },
    )


@roles_required(*READ_ROLES)
def occupation_detail(request, code):
    """The postings of one occupation with the coder's evidence; directors may correct a posting's code."""
    import_id = _import_id(request)
    return render(
        request,
        "labour_market/occupation_detail.html",
        {
            **selectors.occupation_postings(code, import_id),
            "imports": selectors.finished_imports(),
            "import_id": import_id,
            "can_import": can_import(request.user),
            "can_correct": can_correct_occupation(request.user),
        },
    )


@roles_required(*IMPORT_ROLES)
@require_POST
def posting_occupation(request, pk):
    """Correct one posting's CSCO code (kept for its title and used by later imports)."""
    posting = get_object_or_404(Posting.objects.select_related("posting_import"), pk=pk)
    access_posting_import_for_user(request.user, posting.posting_import, "change")
    back = request.POST.get("back_code", "")
    try:
        correction = services.occupation_correct(posting=posting, code=request.POST.get("code", ""), actor=request.user)
    except CbecError as exc:
        messages.error(request, str(exc))
        target = back or next(iter(posting.tags.get("occupation") or {}), "")
    else:
        messages.success(
            request,
            _("%(title)s is now coded %(code)s; later imports code this title the same way.")
            % {"title": posting.title, "code": correction.code},
        )
        target = correction.code
    url = reverse("labour_market:occupation_detail", args=[target]) if target else reverse("labour_market:occupations")
    import_id = request.POST.get("import", "")
    return redirect(url + (f"?import={import_id}" if import_id.isdigit() else ""))
