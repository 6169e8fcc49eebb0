"""The certificate catalogue (证书目录): load the shipped YAML, import and export Excel, edit one certificate or
module. Imports are all-or-nothing: every problem names its sheet, row and field, and nothing is stored unless
every row is valid. A certificate in the file replaces the stored one of that code (its modules included);
certificates not in the file are left alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from cbec_talent.competencies.models import Competency
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import SheetSpec, read_workbook, write_workbook

from .models import CatalogueCertificate, CatalogueModule

SEP = " / "

CERT_SHEET = "Certificates"
MODULE_SHEET = "Modules"
CERT_COLUMNS = {
    "code": "Code",
    "name_zh": "Name (zh)",
    "name_en": "Name (en)",
    "kind": "Kind",
    "organisation_zh": "Organisation (zh)",
    "organisation_en": "Organisation (en)",
    "standard": "Standard",
    "levels": "Levels",
    "sources": "Sources",
    "detail_note": "Note on sources",
}
MODULE_COLUMNS = {
    "certificate": "Certificate code",
    "code": "Module code",
    "name_zh": "Name (zh)",
    "name_en": "Name (en)",
    "levels": "Levels",
    "competencies": "Competencies",
    "from_standard": "From the standard",
}


@dataclass
class ModuleRow:
    code: str
    name_zh: str
    name_en: str
    levels: list[str]
    competencies: list[str]
    from_standard: bool
    where: dict = field(default_factory=dict)  # field -> (sheet, row) for messages


@dataclass
class CertificateRow:
    code: str
    name_zh: str
    name_en: str = ""
    kind: str = CatalogueCertificate.Kind.OTHER
    organisation_zh: str = ""
    organisation_en: str = ""
    standard: str = ""
    levels: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    detail_note: str = ""
    modules: list[ModuleRow] = field(default_factory=list)
    sheet: str | None = None
    row: int | None = None


def _reference_codes() -> set[str]:
    return set(Competency.objects.filter(framework__is_reference=True).values_list("code", flat=True))


def _split(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).replace("，", ",").replace("、", ",").replace("/", ",").replace(";", ",")
    return [p.strip() for p in text.split(",") if p.strip()]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def document_rows(document: dict) -> list[CertificateRow]:
    """The YAML document (format cbec-certificates/1) as rows; sources are resolved from the document's table."""
    if not isinstance(document, dict) or document.get("format") != "cbec-certificates/1":
        raise CbecError([Problem(_("Not a certificate catalogue (format cbec-certificates/1)."))])
    table = document.get("sources") or {}
    rows = []
    for i, cert in enumerate(document.get("certificates") or [], start=1):
        name = cert.get("name") or {}
        org = cert.get("organisation") or {}
        sources = []
        for key in cert.get("sources") or []:
            src = table.get(key)
            if src is None:
                raise CbecError([Problem(_("unknown source %(s)s") % {"s": key}, row=i, field="sources")])
            sources.append({"id": key, **src})
        rows.append(
            CertificateRow(
                code=_text(cert.get("code")),
                name_zh=_text(name.get("zh")),
                name_en=_text(name.get("en")),
                kind=_text(cert.get("kind")) or CatalogueCertificate.Kind.OTHER,
                organisation_zh=_text(org.get("zh")),
                organisation_en=_text(org.get("en")),
                standard=_text(cert.get("standard")),
                levels=_split(cert.get("levels")),
                sources=sources,
                detail_note=_text(cert.get("detail_note")),
                modules=[
                    ModuleRow(
                        code=_text(m.get("code")),
                        name_zh=_text((m.get("name") or {}).get("zh")),
                        name_en=_text((m.get("name") or {}).get("en")),
                        levels=_split(m.get("levels")),
                        competencies=_split(m.get("competencies")),
                        from_standard=bool(m.get("from_standard")),
                    )
                    for m in cert.get("modules") or []
                ],
                row=i,
            )
        )
    return rows


def _validate(rows: list[CertificateRow]) -> list[Problem]:
    problems: list[Problem] = []
    codes = _reference_codes()
    kinds = set(CatalogueCertificate.Kind.values)
    seen: set[str] = set()
    for cert in rows:
        here = {"sheet": cert.sheet, "row": cert.row}
        if not cert.code:
            problems.append(Problem(_("a certificate code is required"), field=CERT_COLUMNS["code"], **here))
        elif cert.code in seen:
            problems.append(
                Problem(_("certificate %(c)s appears twice") % {"c": cert.code}, field=CERT_COLUMNS["code"], **here)
            )
        seen.add(cert.code)
        if not cert.name_zh:
            problems.append(Problem(_("a Chinese name is required"), field=CERT_COLUMNS["name_zh"], **here))
        if cert.kind not in kinds:
            problems.append(
                Problem(
                    _("unknown kind %(k)s (use one of %(all)s)") % {"k": cert.kind, "all": ", ".join(sorted(kinds))},
                    field=CERT_COLUMNS["kind"],
                    **here,
                )
            )
        if not cert.levels:
            problems.append(Problem(_("name at least one level"), field=CERT_COLUMNS["levels"], **here))
        if len(cert.code) > 40:
            problems.append(Problem(_("at most 40 characters"), field=CERT_COLUMNS["code"], **here))
        module_codes: set[str] = set()
        for m in cert.modules:
            where = {"sheet": m.where.get("sheet", cert.sheet), "row": m.where.get("row", cert.row)}
            if not m.code:
                problems.append(Problem(_("a module code is required"), field=MODULE_COLUMNS["code"], **where))
            elif m.code in module_codes:
                problems.append(
                    Problem(
                        _("module %(m)s appears twice in %(c)s") % {"m": m.code, "c": cert.code},
                        field=MODULE_COLUMNS["code"],
                        **where,
                    )
                )
            module_codes.add(m.code)
            if not m.name_zh:
                problems.append(Problem(_("a Chinese name is required"), field=MODULE_COLUMNS["name_zh"], **where))
            unknown_levels = [lv for lv in m.levels if lv not in cert.levels]
            if unknown_levels:
                problems.append(
                    Problem(
                        _("level %(l)s is not a level of certificate %(c)s (%(all)s)")
                        % {"l": ", ".join(unknown_levels), "c": cert.code, "all": SEP.join(cert.levels)},
                        field=MODULE_COLUMNS["levels"],
                        **where,
                    )
                )
            unknown = [c for c in m.competencies if c not in codes]
            if unknown:
                problems.append(
                    Problem(
                        _("unknown competency code %(c)s (use the reference framework's codes)")
                        % {"c": ", ".join(unknown)},
                        field=MODULE_COLUMNS["competencies"],
                        **where,
                    )
                )
            if not m.competencies:
                problems.append(
                    Problem(
                        _("name the competencies the module requires"), field=MODULE_COLUMNS["competencies"], **where
                    )
                )
    return problems


@transaction.atomic
def catalogue_store(rows: list[CertificateRow]) -> int:
    problems = _validate(rows)
    if problems:
        raise CbecError(problems)
    base = CatalogueCertificate.objects.count()
    for i, row in enumerate(rows):
        cert = CatalogueCertificate.objects.filter(code=row.code).first() or CatalogueCertificate(
            code=row.code, order=base + i
        )
        for attr in (
            "name_zh",
            "name_en",
            "kind",
            "organisation_zh",
            "organisation_en",
            "standard",
            "levels",
            "sources",
            "detail_note",
        ):
            setattr(cert, attr, getattr(row, attr))
        cert.save()
        keep = {m.code for m in row.modules}
        cert.modules.exclude(code__in=keep).delete()
        for j, m in enumerate(row.modules):
            module = cert.modules.filter(code=m.code).first() or CatalogueModule(certificate=cert, code=m.code)
            module.name_zh, module.name_en = m.name_zh, m.name_en
            module.levels, module.competencies, module.from_standard = m.levels, m.competencies, m.from_standard
            module.order = j
            module.save()
    return len(rows)


def catalogue_load(path: Path | None = None) -> int:
    """Load the shipped catalogue (idempotent: certificates are matched by code)."""
    path = path or default_file()
    return catalogue_store(document_rows(yaml.safe_load(path.read_text(encoding="utf-8"))))


def default_file() -> Path:
    return Path(__file__).resolve().parents[1] / "reference" / "certificates" / "catalogue.yaml"


def _sources_text(sources: list[dict]) -> str:
    return "\n".join(
        f"{s.get('title', '')} <{s.get('url', '')}>" + (f" — {s['supports']}" if s.get("supports") else "")
        for s in sources
    )


def _sources_parse(text: str) -> list[dict]:
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        title, _sep, rest = line.partition(" <")
        url, _sep2, supports = rest.partition(">")
        out.append({"title": title.strip(), "url": url.strip(), "supports": supports.lstrip(" —").strip()})
    return out


def catalogue_xlsx() -> bytes:
    certs = list(CatalogueCertificate.objects.prefetch_related("modules"))
    cert_rows = [
        (
            c.code,
            c.name_zh,
            c.name_en,
            c.kind,
            c.organisation_zh,
            c.organisation_en,
            c.standard,
            SEP.join(c.levels),
            _sources_text(c.sources),
            c.detail_note,
        )
        for c in certs
    ]
    module_rows = [
        (
            c.code,
            m.code,
            m.name_zh,
            m.name_en,
            SEP.join(m.levels),
            ", ".join(m.competencies),
            "yes" if m.from_standard else "no",
        )
        for c in certs
        for m in c.modules.all()
    ]
    return write_workbook(
        [
            (SheetSpec(CERT_SHEET, list(CERT_COLUMNS.values()), (20, 36, 36, 14, 30, 30, 30, 20, 60, 60)), cert_rows),
            (SheetSpec(MODULE_SHEET, list(MODULE_COLUMNS.values()), (20, 16, 36, 36, 20, 36, 10)), module_rows),
        ]
    )


def _yes(value) -> bool:
    return _text(value).lower() in {"yes", "y", "true", "1", "是"}


def xlsx_rows(data: bytes) -> list[CertificateRow]:
    sheets = read_workbook(data)
    problems: list[Problem] = []
    for name in (CERT_SHEET, MODULE_SHEET):
        if name not in sheets:
            problems.append(Problem(_("the workbook has no sheet %(s)s") % {"s": name}))
    if problems:
        raise CbecError(problems)
    rows: dict[str, CertificateRow] = {}
    ordered = []
    for row, rec in sheets[CERT_SHEET]:
        g = {k: rec.get(h) for k, h in CERT_COLUMNS.items()}
        cert = CertificateRow(
            code=_text(g["code"]),
            name_zh=_text(g["name_zh"]),
            name_en=_text(g["name_en"]),
            kind=_text(g["kind"]) or CatalogueCertificate.Kind.OTHER,
            organisation_zh=_text(g["organisation_zh"]),
            organisation_en=_text(g["organisation_en"]),
            standard=_text(g["standard"]),
            levels=[p.strip() for p in _text(g["levels"]).split("/") if p.strip()],
            sources=_sources_parse(_text(g["sources"])),
            detail_note=_text(g["detail_note"]),
            sheet=CERT_SHEET,
            row=row,
        )
        ordered.append(cert)
        rows.setdefault(cert.code, cert)
    for row, rec in sheets[MODULE_SHEET]:
        g = {k: rec.get(h) for k, h in MODULE_COLUMNS.items()}
        code = _text(g["certificate"])
        cert = rows.get(code)
        if cert is None:
            problems.append(
                Problem(
                    _("no certificate %(c)s on the Certificates sheet") % {"c": code}
                    if code
                    else _("a certificate code is required"),
                    sheet=MODULE_SHEET,
                    row=row,
                    field=MODULE_COLUMNS["certificate"],
                )
            )
            continue
        cert.modules.append(
            ModuleRow(
                code=_text(g["code"]),
                name_zh=_text(g["name_zh"]),
                name_en=_text(g["name_en"]),
                levels=[p.strip() for p in _text(g["levels"]).split("/") if p.strip()],
                competencies=_split(g["competencies"]),
                from_standard=_yes(g["from_standard"]),
                where={"sheet": MODULE_SHEET, "row": row},
            )
        )
    if problems:
        raise CbecError(problems + _validate(ordered))
    return ordered


def catalogue_import_xlsx(*, data: bytes, actor=None) -> int:
    return catalogue_store(xlsx_rows(data))


@transaction.atomic
def certificate_update(*, certificate: CatalogueCertificate, data: dict) -> CatalogueCertificate:
    row = CertificateRow(
        code=certificate.code,
        name_zh=_text(data.get("name_zh")),
        name_en=_text(data.get("name_en")),
        kind=_text(data.get("kind")),
        organisation_zh=_text(data.get("organisation_zh")),
        organisation_en=_text(data.get("organisation_en")),
        standard=_text(data.get("standard")),
        levels=[p.strip() for p in _text(data.get("levels")).split("/") if p.strip()],
        sources=certificate.sources,
        detail_note=_text(data.get("detail_note")),
        modules=[
            ModuleRow(m.code, m.name_zh, m.name_en, m.levels, m.competencies, m.from_standard)
            for m in certificate.modules.all()
        ],
    )
    catalogue_store([row])
    certificate.refresh_from_db()
    return certificate


@transaction.atomic
def module_save(*, certificate: CatalogueCertificate, data: dict, module: CatalogueModule | None = None):
    modules = [
        ModuleRow(m.code, m.name_zh, m.name_en, m.levels, m.competencies, m.from_standard)
        for m in certificate.modules.all()
        if module is None or m.pk != module.pk
    ]
    new = ModuleRow(
        code=_text(data.get("code")) if module is None else module.code,
        name_zh=_text(data.get("name_zh")),
        name_en=_text(data.get("name_en")),
        levels=[p.strip() for p in _text(data.get("levels")).split("/") if p.strip()],
        competencies=_split(data.get("competencies")),
        from_standard=bool(data.get("from_standard")),
    )
    position = next((i for i, m in enumerate(certificate.modules.all()) if module and m.pk == module.pk), len(modules))
    modules.insert(position, new)
    row = CertificateRow(
        code=certificate.code,
        name_zh=certificate.name_zh,
        name_en=certificate.name_en,
        kind=certificate.kind,
        organisation_zh=certificate.organisation_zh,
        organisation_en=certificate.organisation_en,
        standard=certificate.standard,
        levels=certificate.levels,
        sources=certificate.sources,
        detail_note=certificate.detail_note,
        modules=modules,
    )
    catalogue_store([row])
    return certificate.modules.get(code=new.code)


@transaction.atomic
def module_delete(*, module: CatalogueModule) -> None:
    module.delete()
