"""Certificate catalogue pages: list, one certificate with its modules, edit, add/edit/delete a module, Excel
import (all-or-nothing) and export. Each view: access, form, one catalogue service or selector call, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.core.access import roles_required
from cbec_talent.core.errors import CbecError

from . import catalogue
from .access import CATALOGUE_READ_ROLES, EDIT_ROLES, access_catalogue_for_user, can_edit
from .forms import CatalogueCertificateForm, CatalogueModuleForm, ImportForm
from .models import CatalogueCertificate, CatalogueModule

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@roles_required(*CATALOGUE_READ_ROLES)
def catalogue_list(request):
    access_catalogue_for_user(request.user)
    certificates = CatalogueCertificate.objects.prefetch_related("modules")
    return render(
        request, "certification/catalogue_list.html", {"certificates": certificates, "can_edit": can_edit(request.user)}
    )


@roles_required(*CATALOGUE_READ_ROLES)
def catalogue_detail(request, code):
    access_catalogue_for_user(request.user)
    certificate = get_object_or_404(CatalogueCertificate.objects.prefetch_related("modules"), code=code)
    return render(
        request, "certification/catalogue_detail.html", {"certificate": certificate, "can_edit": can_edit(request.user)}
    )


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def catalogue_edit(request, code):
    access_catalogue_for_user(request.user, "change")
    certificate = get_object_or_404(CatalogueCertificate, code=code)
    problems = []
    if request.method == "POST":
        form = CatalogueCertificateForm(request.POST)
        if form.is_valid():
            try:
                catalogue.certificate_update(certificate=certificate, data=form.cleaned_data)
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Saved."))
                return redirect("certification:catalogue_detail", code=certificate.code)
    else:
        form = CatalogueCertificateForm(
            initial={
                "name_zh": certificate.name_zh,
                "name_en": certificate.name_en,
                "kind": certificate.kind,
                "organisation_zh": certificate.organisation_zh,
                "organisation_en": certificate.organisation_en,
                "standard": certificate.standard,
                "levels": " / ".join(certificate.levels),
                "detail_note": certificate.detail_note,
            }
        )
    return render(
        request,
        "certification/catalogue_form.html",
        {"certificate": certificate, "form": form, "problems": problems, "title": _("Edit certificate")},
    )


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def module_edit(request, code, module=None):
    access_catalogue_for_user(request.user, "change")
    certificate = get_object_or_404(CatalogueCertificate, code=code)
    instance = get_object_or_404(CatalogueModule, certificate=certificate, code=module) if module else None
    problems = []
    if request.method == "POST":
        form = CatalogueModuleForm(request.POST)
        if form.is_valid():
            try:
                catalogue.module_save(certificate=certificate, module=instance, data=form.cleaned_data)
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Saved."))
                return redirect("certification:catalogue_detail", code=certificate.code)
    elif instance is not None:
        form = CatalogueModuleForm(
            initial={
                "code": instance.code,
                "name_zh": instance.name_zh,
                "name_en": instance.name_en,
                "levels": " / ".join(instance.levels),
                "competencies": ", ".join(instance.competencies),
                "from_standard": instance.from_standard,
            }
        )
    else:
        form = CatalogueModuleForm()
    title = _("Edit module") if instance else _("Add a module")
    return render(
        request,
        "certification/catalogue_form.html",
        {"certificate": certificate, "form": form, "problems": problems, "title": title},
    )


@roles_required(*EDIT_ROLES)
@require_POST
def module_delete(request, code, module):
    access_catalogue_for_user(request.user, "change")
    instance = get_object_or_404(CatalogueModule, certificate__code=code, code=module)
    catalogue.module_delete(module=instance)
    messages.success(request, _("Module removed."))
    return redirect("certification:catalogue_detail", code=code)


@roles_required(*CATALOGUE_READ_ROLES)
def catalogue_export(request):
    access_catalogue_for_user(request.user)
    response = HttpResponse(catalogue.catalogue_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="certificate-catalogue.xlsx"'
    return response


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def catalogue_import(request):
    access_catalogue_for_user(request.user, "change")
    problems = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                n = catalogue.catalogue_import_xlsx(data=form.cleaned_data["file"].read(), actor=request.user)
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Imported %(n)d certificates.") % {"n": n})
                return redirect("certification:catalogue")
    else:
        form = ImportForm()
    return render(request, "certification/catalogue_import.html", {"form": form, "problems": problems[:300]})
