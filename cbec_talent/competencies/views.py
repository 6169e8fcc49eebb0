"""Framework browser pages. Each view: access check, form, one service or selector call, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cbec_talent.core.access import ALL_ROLES, roles_required
from cbec_talent.core.errors import CbecError
from cbec_talent.core.views import report_problems

from . import esco_linking, selectors, services
from .access import EDIT_ROLES, access_framework_for_user, can_edit_frameworks
from .document import parse_text_document
from .exporting import document_to_json, document_to_xlsx, document_to_yaml, framework_to_document, xlsx_to_document
from .forms import CompetencyForm, FrameworkCopyForm, FrameworkImportForm
from .models import Competency, Framework


def _framework(request, pk, action="view"):
    return access_framework_for_user(request.user, get_object_or_404(Framework, pk=pk), action)


@roles_required(*ALL_ROLES)
def framework_list(request):
    return render(
        request,
        "competencies/framework_list.html",
        {"frameworks": selectors.framework_list(), "can_edit": can_edit_frameworks(request.user)},
    )


@roles_required(*ALL_ROLES)
def framework_detail(request, pk):
    fw = _framework(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    areas = selectors.framework_areas(fw, query)
    template = "competencies/_areas.html" if request.htmx else "competencies/framework_detail.html"
    return render(
        request,
        template,
        {"framework": fw, "areas": areas, "q": query, "can_edit": can_edit_frameworks(request.user)},
    )


@roles_required(*ALL_ROLES)
def competency_detail(request, pk, code):
    fw = _framework(request, pk)
    comp = get_object_or_404(Competency.objects.select_related("area"), framework=fw, code=code)
    links = comp.requirement_links.select_related("requirement__position", "level").order_by(
        "requirement__position__order", "requirement__order"
    )
    return render(
        request,
        "competencies/competency_detail.html",
        {"framework": fw, "competency": comp, "links": links, "esco_skills": esco_linking.competency_skills(comp)},
    )


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def competency_edit(request, pk, code):
    fw = _framework(request, pk, "change")
    comp = get_object_or_404(Competency, framework=fw, code=code)
    if request.method == "POST":
        form = CompetencyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.competency_update(
                competency=comp,
                name_zh=data["name_zh"],
                name_en=data["name_en"],
                descriptor_zh=data["descriptor_zh"],
                descriptor_en=data["descriptor_en"],
                keywords_zh=data["keywords_zh"].splitlines(),
                keywords_en=data["keywords_en"].splitlines(),
            )
            messages.success(request, _("Saved."))
            return redirect("competencies:competency", pk=fw.pk, code=comp.code)
    else:
        form = CompetencyForm(
            initial={
                "name_zh": comp.name_zh,
                "name_en": comp.name_en,
                "descriptor_zh": comp.descriptor_zh,
                "descriptor_en": comp.descriptor_en,
                "keywords_zh": "\n".join(comp.keywords_zh),
                "keywords_en": "\n".join(comp.keywords_en),
            }
        )
    return render(request, "competencies/competency_edit.html", {"framework": fw, "competency": comp, "form": form})


@roles_required(*ALL_ROLES)
def position_list(request, pk):
    fw = _framework(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    positions, competencies, matrix = selectors.requirement_matrix(fw)
    heatmap = {
        "positions": [f"{p.code} {p.name}" for p in positions],
        "competencies": [c.code for c in competencies],
        "competency_names": [c.name for c in competencies],
        "cells": [[j, i, v] for i, row in enumerate(matrix) for j, v in enumerate(row) if v],
        "levels": [lv.name for lv in fw.levels.order_by("rank")],
    }
    cells = fw.table_cells.select_related("direction", "degree")
    return render(
        request,
        "competencies/position_list.html",
        {
            "framework": fw,
            "positions": selectors.position_list(fw, query),
            "q": query,
            "heatmap": heatmap,
            "table_cells": cells,
        },
    )


@roles_required(*ALL_ROLES)
def position_detail(request, pk, code):
    fw = _framework(request, pk)
    pos = selectors.position_detail(fw, code)
    if pos is None:
        raise Http404
    return render(
        request,
        "competencies/position_detail.html",
        {
            "framework": fw,
            "position": pos,
            "csco": selectors.occupations_for_codes("csco2022", pos.csco_codes),
            "esco": selectors.occupations_for_codes("esco", pos.esco_uris),
        },
    )


@roles_required(*ALL_ROLES)
def certificate_list(request, pk):
    fw = _framework(request, pk)
    certs = fw.certificates.select_related("degree").prefetch_related("courses__direction")
    rows = []
    for cert in certs:
        groups: dict = {}
        for course in cert.courses.all():
            groups.setdefault(course.direction, []).append(course)
        rows.append((cert, list(groups.items())))
    return render(request, "competencies/certificate_list.html", {"framework": fw, "rows": rows})


def _framework_pdf(fw) -> bytes:
    from django.db.models import Prefetch
    from django.utils.translation import get_language

    from cbec_talent.core.pdf import render_pdf

    from .models import Requirement, RequirementCompetency

    links = RequirementCompetency.objects.select_related("competency", "level").order_by("order")
    reqs = Requirement.objects.prefetch_related(Prefetch("links", queryset=links)).order_by("order")
    positions = selectors.position_list(fw).prefetch_related(Prefetch("requirements", queryset=reqs))
    context = {"framework": fw, "areas": selectors.framework_areas(fw), "positions": positions, "lang": get_language()}
    return render_pdf("competencies/framework_pdf.html", context)


@roles_required(*ALL_ROLES)
def framework_export(request, pk, fmt):
    fw = _framework(request, pk, "export")
    doc = framework_to_document(fw) if fmt != "pdf" else None
    stem = f"{fw.code}-{fw.version}"
    if fmt == "yaml":
        response = HttpResponse(document_to_yaml(doc), content_type="application/x-yaml; charset=utf-8")
    elif fmt == "json":
        response = HttpResponse(document_to_json(doc), content_type="application/json; charset=utf-8")
    elif fmt == "pdf":
        response = HttpResponse(_framework_pdf(fw), content_type="application/pdf")
    elif fmt == "xlsx":
        response = HttpResponse(
            document_to_xlsx(doc), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@roles_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def framework_import(request):
    problems = []
    if request.method == "POST":
        form = FrameworkImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = upload.read()
                if upload.name.lower().endswith(".xlsx"):
                    doc = xlsx_to_document(data)
                else:
                    try:
                        text = data.decode("utf-8-sig")
                    except UnicodeDecodeError:
                        raise CbecError(_("The file is not UTF-8 encoded text.")) from None
                    doc = parse_text_document(text, upload.name)
                fw = services.framework_import(
                    document=doc, actor=request.user, version=form.cleaned_data["version"] or None
                )
            except CbecError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Imported the competency framework %(fw)s.") % {"fw": fw})
                return redirect("competencies:framework", pk=fw.pk)
    else:
        form = FrameworkImportForm()
    return render(request, "competencies/framework_import.html", {"form": form, "problems": problems[:200]})


@roles_required(*EDIT_ROLES)
@require_POST
def framework_copy(request, pk):
    fw = _framework(request, pk)
    form = FrameworkCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter a new version number."))
        return redirect("competencies:framework", pk=fw.pk)
    try:
        new = services.framework_copy(framework=fw, version=form.cleaned_data["version"], actor=request.user)
    except CbecError as exc:
        report_problems(request, exc)
        return redirect("competencies:framework", pk=fw.pk)
    messages.success(request, _("Copied as the new version %(fw)s, which you can now edit.") % {"fw": new})
    return redirect("competencies:framework", pk=new.pk)


@roles_required(*ALL_ROLES)
def occupation_search(request):
    query = request.GET.get("q", "").strip()[:100]
    taxonomy = request.GET.get("taxonomy", "")
    if taxonomy not in ("", "csco2022", "esco"):
        taxonomy = ""
    results = selectors.occupation_search(query, taxonomy) if query else []
    skills = selectors.skill_search(query) if query and taxonomy in ("", "esco") else []
    return render(
        request,
        "competencies/occupation_search.html",
        {"q": query, "taxonomy": taxonomy, "results": results, "skills": skills},
    )
