"""An enterprise's page: its details, tutors, agreements (all five kinds), posts and interns."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.core.views import run_service

from . import services_alliance as services
from .access import EDIT_ROLES, STAFF_ROLES, access_enterprise_for_user, access_post_for_user, placements_for_user
from .forms import EnterpriseForm
from .forms_alliance import AgreementForm, TutorsForm, parse_ranking
from .models import Agreement, Enterprise, InternshipPost

VIEW_ROLES = (*STAFF_ROLES, "enterprise_tutor")


def _form_errors(form, exc: CbecError) -> None:
    for problem in exc.problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, str(problem.message))


def _enterprise_initial(enterprise: Enterprise) -> dict:
    return {
        "name": enterprise.name,
        "city": enterprise.city,
        "size": enterprise.size,
        "platforms": ", ".join(enterprise.platforms),
        "markets": ", ".join(enterprise.markets),
        "contact": enterprise.contact,
    }


def _page(request, enterprise, **forms):
    can_edit = request.user.has_role(*EDIT_ROLES)
    context = {
        "enterprise": enterprise,
        "agreements": enterprise.agreements.order_by("-start"),
        "posts": enterprise.posts.prefetch_related("placements").order_by("title"),
        "placements": placements_for_user(request.user).filter(post__enterprise=enterprise),
        "tutors": enterprise.members.order_by("username"),
        "part_time_teachers": enterprise.part_time_teachers.prefetch_related("courses").order_by("number"),
        "can_see_teachers": request.user.has_role(*STAFF_ROLES),
        "can_edit": can_edit,
    }
    if can_edit:
        context["enterprise_form"] = forms.get("enterprise_form") or EnterpriseForm(
            initial=_enterprise_initial(enterprise)
        )
        context["agreement_form"] = forms.get("agreement_form") or AgreementForm()
        context["tutors_form"] = forms.get("tutors_form") or TutorsForm(
            initial={"tutors": ", ".join(u.username for u in context["tutors"])}
        )
    return render(request, "partnerships/enterprise_detail.html", context)


@roles_required(*VIEW_ROLES)
def enterprise_detail(request, pk):
    enterprise = access_enterprise_for_user(request.user, get_object_or_404(Enterprise, pk=pk))
    return _page(request, enterprise)


def _saved(request, form, call) -> bool:
    """Run ``call(cleaned_data)`` when the form is valid; a service's problems go onto the form."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except CbecError as exc:
        _form_errors(form, exc)
        return False
    messages.success(request, _("Saved."))
    return True


def _enterprise_post(request, pk, form_name: str, form, call):
    """An enterprise-page form posted: saved -> back to the page; else the page with the form's errors."""
    enterprise = access_enterprise_for_user(request.user, get_object_or_404(Enterprise, pk=pk), "change")
    if _saved(request, form, lambda data: call(enterprise, data)):
        return redirect("partnerships:enterprise", pk=enterprise.pk)
    enterprise.refresh_from_db()
    return _page(request, enterprise, **{form_name: form})


@roles_required(*EDIT_ROLES)
@require_POST
def enterprise_edit(request, pk):
    return _enterprise_post(
        request,
        pk,
        "enterprise_form",
        EnterpriseForm(request.POST),
        lambda enterprise, data: services.enterprise_update(enterprise=enterprise, **data),
    )


@roles_required(*EDIT_ROLES)
@require_POST
def enterprise_tutors(request, pk):
    return _enterprise_post(
        request,
        pk,
        "tutors_form",
        TutorsForm(request.POST),
        lambda enterprise, data: services.enterprise_tutors_set(enterprise=enterprise, usernames=data["tutors"]),
    )


@roles_required(*EDIT_ROLES)
@require_POST
def agreement_add(request, pk):
    return _enterprise_post(
        request,
        pk,
        "agreement_form",
        AgreementForm(request.POST),
        lambda enterprise, data: services.agreement_create(enterprise=enterprise, **data),
    )


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("enterprise"), pk=pk)
    access_enterprise_for_user(request.user, agreement.enterprise, "change")
    fields = ("kind", "title", "start", "end", "quota", "school_commitments", "enterprise_commitments")
    form = AgreementForm(request.POST or None, initial={f: getattr(agreement, f) for f in fields})
    if request.method == "POST" and _saved(
        request, form, lambda data: services.agreement_update(agreement=agreement, **data)
    ):
        return redirect("partnerships:enterprise", pk=agreement.enterprise_id)
    return render(request, "partnerships/agreement_form.html", {"agreement": agreement, "form": form})


@roles_required(*EDIT_ROLES)
@require_POST
def agreement_delete(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("enterprise"), pk=pk)
    access_enterprise_for_user(request.user, agreement.enterprise, "change")
    enterprise_pk = agreement.enterprise_id
    run_service(request, lambda: services.agreement_delete(agreement=agreement), success=_("Agreement deleted."))
    return redirect("partnerships:enterprise", pk=enterprise_pk)


@roles_required(*EDIT_ROLES, "enterprise_tutor")
@require_POST
def applicant_ranking(request, pk):
    """The enterprise (its tutors) or a director ranks and declines a post's applicants; form fields
    ``rank_<application id>`` (blank = not ranked) and ``declined_<application id>``."""
    post = access_post_for_user(
        request.user, get_object_or_404(InternshipPost.objects.select_related("enterprise"), pk=pk), "rank"
    )

    def save():
        ranks, declined = parse_ranking(request.POST)
        services.applicant_ranking_set(post=post, ranks=ranks, declined=declined)

    run_service(request, save, success=_("The ranking is saved; the next matching run uses it."))
    return redirect("partnerships:post", pk=post.pk)
