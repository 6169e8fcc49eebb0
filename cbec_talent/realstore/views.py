"""Real-store pages: the stores a user may see, one store (weeks, score, import, a week typed in, co-sign), the
column template. Each view: access, form, one service call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError

from . import services
from .access import EDIT_ROLES, PAGE_ROLES, access_store_for_user, can_open_store, stores_for_user
from .forms import CosignForm, ImportForm, StoreForm, WeekForm
from .models import RealStore, StoreWeek
from .reading import COLUMNS

TEMPLATE_CSV = (
    "week_start,orders,sales,currency,sessions,conversion_rate,rating,disputes\n"
    "2026-03-02,24,1180.50,USD,960,2.50,4.7,0\n"
)


def _store(pk):
    store = (
        RealStore.objects.select_related("student__school_class__cohort", "tutor", "component__course")
        .filter(pk=pk)
        .first()
    )
    if store is None:
        raise Http404
    return store


@roles_required(*PAGE_ROLES)
def store_list(request):
    stores = stores_for_user(request.user, RealStore.objects.select_related("student", "tutor", "component__course"))
    return render(request, "realstore/store_list.html", {"stores": stores, "can_open": can_open_store(request.user)})


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def store_new(request):
    problems = []
    if request.method == "POST":
        form = StoreForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                store = services.store_create(
                    student=data["student"],
                    platform=data["platform"],
                    name=data["name"],
                    tutor=data["tutor"],
                    component=data["component"],
                    targets={k: data[k] for k in ("orders", "sales", "conversion", "rating", "dispute_rate")},
                    actor=request.user,
                )
            except CbecError as exc:
                problems = exc.problems
            else:
                return redirect("realstore:store", pk=store.pk)
    else:
        form = StoreForm()
    return render(request, "realstore/store_new.html", {"form": form, "problems": problems})


def _context(request, store) -> dict:
    weeks = list(store.weeks.select_related("cosigned_by"))
    can_enter = _allowed(request.user, store, "enter")
    return {
        "store": store,
        "rows": [(w, services.week_score(store, w)) for w in weeks],
        "score": services.store_score(store),
        "cosigned": sum(w.cosigned for w in weeks),
        "can_enter": can_enter,
        "can_cosign": _allowed(request.user, store, "cosign"),
        "import_form": ImportForm() if can_enter else None,
        "week_form": WeekForm() if can_enter else None,
        "columns": COLUMNS,
    }


@roles_required(*PAGE_ROLES)
def store_detail(request, pk):
    store = access_store_for_user(request.user, _store(pk))
    return render(request, "realstore/store_detail.html", _context(request, store))


def _allowed(user, store, action) -> bool:
    try:
        access_store_for_user(user, store, action)
    except PermissionDenied:
        return False
    return True


@roles_required(*PAGE_ROLES)
@require_POST
def store_import(request, pk):
    store = access_store_for_user(request.user, _store(pk), "enter")
    form = ImportForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            n = services.weeks_import(store=store, data=upload.read(), filename=upload.name, actor=request.user)
        except CbecError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Imported %(n)d weeks; each counts once the tutor co-signs it.") % {"n": n})
            return redirect("realstore:store", pk=store.pk)
    return _detail_with_problems(request, store, problems)


def _detail_with_problems(request, store, problems):
    return render(request, "realstore/store_detail.html", {**_context(request, store), "problems": problems[:300]})


@roles_required(*PAGE_ROLES)
@require_POST
def week_new(request, pk):
    store = access_store_for_user(request.user, _store(pk), "enter")
    form = WeekForm(request.POST)
    problems = []
    if form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.week_enter(store=store, values=values, actor=request.user)
        except CbecError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Week saved; it counts once the tutor co-signs it."))
            return redirect("realstore:store", pk=store.pk)
    else:
        problems = [f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items() if k in form.fields]
    return _detail_with_problems(request, store, problems)


@roles_required("enterprise_tutor")
@require_POST
def week_cosign(request, pk):
    week = get_object_or_404(StoreWeek.objects.select_related("store__student"), pk=pk)
    access_store_for_user(request.user, week.store, "cosign")
    form = CosignForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if request.POST.get("action") == "reopen":
            services.week_reopen(week=week, tutor=request.user, note=note)
            messages.success(request, _("Week reopened; the student can correct it."))
        else:
            services.week_cosign(week=week, tutor=request.user, note=note)
            messages.success(request, _("Week co-signed; it now counts in the assessment."))
    except CbecError as exc:
        messages.error(request, str(exc.problems[0]))
    return redirect("realstore:store", pk=week.store_id)


@roles_required(*PAGE_ROLES)
def columns_template(request):
    response = HttpResponse(TEMPLATE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="store-weeks.csv"'
    return response
