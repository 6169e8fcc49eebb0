"""Writes to frameworks: import (all-or-nothing), copy to a new version, delete. Audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cbec_talent.core import audit
from cbec_talent.core.errors import CbecError, Problem

from .document import POSITION_KEYS, strip_markers, validate_document
from .models import (
    Area,
    Certificate,
    CertificateCourse,
    Competency,
    DegreeLevel,
    Direction,
    Framework,
    Position,
    ProficiencyLevel,
    Requirement,
    RequirementCompetency,
    TableCell,
)


def _pair(value, key) -> tuple[str, str]:
    pair = value.get(key) or {}
    return (pair.get("zh") or "").strip(), (pair.get("en") or "").strip()


@transaction.atomic
def framework_import(
    *, document: dict, actor=None, version: str | None = None, is_reference: bool = False, replace: bool = False
) -> Framework:
    """Create a framework from an interchange document. Nothing is written unless everything is valid."""
    problems = validate_document(document)
    if problems:
        raise CbecError(problems)
    doc = strip_markers(document)
    head = doc["framework"]
    code = head["code"]
    version = str(version or head["version"]).strip()
    existing = Framework.objects.filter(code=code, version=version).first()
    if existing is not None:
        if not replace:
            raise CbecError(
                [
                    Problem(
                        _(
                            "Version %(version)s of competency framework %(code)s already exists; "
                            "please choose another version number."
                        )
                        % {"code": code, "version": version},
                        sheet="framework",
                        row=1,
                        field="version",
                    )
                ]
            )
        existing.delete()
    name_zh, name_en = _pair(head, "name")
    desc_zh, desc_en = _pair(head, "description")
    fw = Framework.objects.create(
        code=code,
        version=version,
        name_zh=name_zh,
        name_en=name_en,
        descriptor_zh=desc_zh,
        descriptor_en=desc_en,
        is_reference=is_reference,
        sources=head.get("sources") or [],
        owner=actor if actor is not None and getattr(actor, "pk", None) else None,
    )
    levels = {}
    for lv in doc.get("levels") or []:
        zh, en = _pair(lv, "name")
        dzh, den = _pair(lv, "descriptor")
        levels[lv["code"]] = ProficiencyLevel.objects.create(
            framework=fw, code=lv["code"], rank=lv["rank"], name_zh=zh, name_en=en, descriptor_zh=dzh, descriptor_en=den
        )
    competencies = {}
    comp_rows = []
    for order, area_doc in enumerate(doc.get("areas") or [], start=1):
        zh, en = _pair(area_doc, "name")
        dzh, den = _pair(area_doc, "descriptor")
        area = Area.objects.create(
            framework=fw,
            code=area_doc["code"],
            order=order,
            name_zh=zh,
            name_en=en,
            descriptor_zh=dzh,
            descriptor_en=den,
        )
        for comp in area_doc.get("competencies") or []:
            zh, en = _pair(comp, "name")
            dzh, den = _pair(comp, "descriptor")
            kw = comp.get("keywords") or {}
            comp_rows.append(
                Competency(
                    framework=fw,
                    area=area,
                    code=comp["code"],
                    order=len(comp_rows) + 1,
                    name_zh=zh,
                    name_en=en,
                    descriptor_zh=dzh,
                    descriptor_en=den,
                    keywords_zh=list(kw.get("zh") or []),
                    keywords_en=list(kw.get("en") or []),
                    sources=list(comp.get("sources") or []),
                )
            )
    for comp in Competency.objects.bulk_create(comp_rows):
        competencies[comp.code] = comp
    directions = {}
    for order, d in enumerate(doc.get("directions") or [], start=1):
        zh, en = _pair(d, "name")
        directions[d["code"]] = Direction.objects.create(
            framework=fw, code=d["code"], order=order, name_zh=zh, name_en=en
        )
    degrees = {}
    for order, d in enumerate(doc.get("degree_levels") or [], start=1):
        zh, en = _pair(d, "name")
        degrees[d["code"]] = DegreeLevel.objects.create(
            framework=fw, code=d["code"], order=order, name_zh=zh, name_en=en
        )
    links = []
    for order, p in enumerate(doc.get("positions") or [], start=1):
        zh, en = _pair(p, "name")
        kw = p.get("keywords") or {}
        pos = Position.objects.create(
            framework=fw,
            code=p["code"],
            order=order,
            name_zh=zh,
            name_en=en,
            source=p.get("source") or "",
            source_title=p.get("source_title") or "",
            merged=list(p.get("merged") or []),
            keywords_zh=list(kw.get("zh") or []),
            keywords_en=list(kw.get("en") or []),
            csco_codes=list(p.get("csco") or []),
            esco_uris=list(p.get("esco") or []),
            extra={k: v for k, v in p.items() if k not in POSITION_KEYS},
        )
        pos.directions.set([directions[d] for d in p.get("directions") or []])
        for rorder, r in enumerate(p.get("requirements") or [], start=1):
            tzh, ten = _pair(r, "text")
            req = Requirement.objects.create(position=pos, order=rorder, text_zh=tzh, text_en=ten)
            for lorder, link in enumerate(r.get("competencies") or [], start=1):
                links.append(
                    RequirementCompetency(
                        requirement=req,
                        competency=competencies[link["code"]],
                        level=levels[link["level"]],
                        order=lorder,
                    )
                )
    RequirementCompetency.objects.bulk_create(links)
    for order, cell in enumerate(doc.get("table_i") or [], start=1):
        zh, en = _pair(cell, "text")
        TableCell.objects.create(
            framework=fw,
            direction=directions[cell["direction"]],
            degree=degrees[cell["degree"]],
            order=order,
            text_zh=zh,
            text_en=en,
            position_codes=list(cell.get("positions") or []),
        )
    course_rows = []
    for order, cert_doc in enumerate(doc.get("certificates") or [], start=1):
        zh, en = _pair(cert_doc, "name")
        cert = Certificate.objects.create(
            framework=fw,
            code=cert_doc["code"],
            order=order,
            name_zh=zh,
            name_en=en,
            degree=degrees.get(cert_doc.get("degree")),
        )
        for group in cert_doc.get("courses") or []:
            for corder, name in enumerate(group.get("names") or [], start=1):
                course_rows.append(
                    CertificateCourse(
                        certificate=cert,
                        direction=directions[group["direction"]],
                        order=corder,
                        name_zh=(name.get("zh") or "").strip(),
                        name_en=(name.get("en") or "").strip(),
                    )
                )
    CertificateCourse.objects.bulk_create(course_rows)
    audit.record(
        audit.IMPORT,
        fw,
        actor=actor,
        after={
            "competencies": len(competencies),
            "positions": len(doc.get("positions") or []),
            "requirement_links": len(links),
            "certificate_courses": len(course_rows),
        },
    )
    return fw


@transaction.atomic
def framework_delete(*, framework: Framework) -> None:
    if framework.is_reference:
        raise CbecError(_("The reference framework cannot be deleted."))
    framework.delete()


def framework_copy(*, framework: Framework, version: str, actor=None) -> Framework:
    """A new, editable version of a framework (the user's own)."""
    from .exporting import framework_to_document

    doc = framework_to_document(framework)
    return framework_import(document=doc, version=version, actor=actor, is_reference=False)


@transaction.atomic
def competency_update(
    *,
    competency: Competency,
    name_zh: str,
    name_en: str,
    descriptor_zh: str,
    descriptor_en: str,
    keywords_zh: list[str],
    keywords_en: list[str],
) -> Competency:
    if competency.framework.is_reference:
        raise CbecError(_("The reference framework is read-only; copy it as a new version first, then edit the copy."))
    competency.name_zh, competency.name_en = name_zh.strip(), name_en.strip()
    competency.descriptor_zh, competency.descriptor_en = descriptor_zh.strip(), descriptor_en.strip()
    competency.keywords_zh = [k.strip() for k in keywords_zh if k.strip()]
    competency.keywords_en = [k.strip() for k in keywords_en if k.strip()]
    competency.full_clean()
    competency.save()
    return competency


def reference_load(*, actor=None) -> tuple[Framework, bool]:
    """Load the shipped reference framework once; returns (framework, created). Idempotent."""
    from .document import load_reference_document

    doc = load_reference_document()
    head = doc["framework"]
    existing = Framework.objects.filter(code=head["code"], version=str(head["version"])).first()
    if existing is not None:
        return existing, False
    return framework_import(document=doc, actor=actor, is_reference=True), True
