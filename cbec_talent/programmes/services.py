"""Writes to programmes: import a programme document (all-or-nothing), edit a course, load the paper-000 sample.

A programme in the database converts to the curriculum engine's ProgrammeDocument through one path,
`programme_document()`, which builds the same dictionary a file would hold and runs the engine's loader on it,
so stored and imported programmes get identical checks.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import F
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cbec_talent.competencies.models import Certificate, Competency, Framework, Position, RequirementCompetency
from cbec_talent.core import audit
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.engines.curriculum import ProgrammeDocument, ProgrammeDocumentError, load_programme_document

from .models import Course, Programme, ProgrammeModule

EDITABLE_FIELDS = (
    "credits",
    "theory_hours",
    "practice_hours",
    "semesters",
    "required",
    "prerequisites",
    "teaching_mode",
    "stage",
    "supports",
)
SAMPLE_FILE = Path(__file__).resolve().parent.parent / "reference" / "programmes" / "paper000.yaml"


def _engine_problems(exc: ProgrammeDocumentError) -> list[Problem]:
    english = (get_language() or "zh-hans").startswith("en")
    return [Problem(p.message.en if english else p.message.zh, sheet=p.row, field=p.field) for p in exc.problems]


def _check_codes(doc: dict, framework: Framework | None) -> list[Problem]:
    if framework is None:
        return []
    known = set(Competency.objects.filter(framework=framework).values_list("code", flat=True))
    problems = []
    for n, course in enumerate(doc.get("courses") or []):
        for code in (course.get("supports") or {}) if isinstance(course, dict) else {}:
            if code not in known:
                problems.append(
                    Problem(
                        _("Unknown competency code: %(v)s") % {"v": code},
                        sheet=f"courses[{n}] ({course.get('code')})",
                        field="supports",
                    )
                )
    return problems


@transaction.atomic
def programme_import(
    *, document: dict, framework: Framework | None, actor=None, version: str | None = None, is_sample: bool = False
) -> Programme:
    """Store a programme document. Nothing is written unless the whole document is valid."""
    try:
        parsed = load_programme_document(document)
    except ProgrammeDocumentError as exc:
        raise CbecError(_engine_problems(exc)) from None
    problems = _check_codes(document, framework)
    if problems:
        raise CbecError(problems)
    head = document["programme"]
    version = str(version or head.get("version") or "1")
    if Programme.objects.filter(code=parsed.code, version=version).exists():
        raise CbecError(
            [
                Problem(
                    _("Programme %(code)s version %(version)s already exists.")
                    % {"code": parsed.code, "version": version},
                    sheet="programme",
                    field="version",
                )
            ]
        )
    framework_codes = (
        set(Position.objects.filter(framework=framework).values_list("code", flat=True)) if framework else set()
    )
    positions = document.get("positions") or []
    programme = Programme.objects.create(
        code=parsed.code,
        version=version,
        name_zh=parsed.name.zh,
        name_en=parsed.name.en,
        source=parsed.source,
        semesters=parsed.semesters,
        framework=framework,
        is_sample=is_sample,
        target_positions=[p["code"] for p in positions],
        embedded_positions=[p for p in positions if p["code"] not in framework_codes],
        targets=document.get("targets") or {},
        stated=document.get("stated"),
    )
    modules = {}
    kinds = {m.get("code"): m.get("kind") for m in document.get("modules") or [] if isinstance(m, dict)}
    for order, m in enumerate(parsed.modules, start=1):
        kind = kinds.get(m.code) or ProgrammeModule.Kind.OTHER
        if kind not in ProgrammeModule.Kind.values:
            raise CbecError(
                [Problem(_("Unknown module type: %(v)s") % {"v": kind}, sheet=f"modules ({m.code})", field="kind")]
            )
        modules[m.code] = ProgrammeModule.objects.create(
            programme=programme, code=m.code, order=order, kind=kind, name_zh=m.name.zh, name_en=m.name.en
        )
    created = Course.objects.bulk_create(
        [
            Course(
                programme=programme,
                module=modules[c.module],
                code=c.code,
                order=order,
                name_zh=c.name.zh,
                name_en=c.name.en,
                credits=Decimal(str(c.credits)),
                theory_hours=c.theory_hours,
                practice_hours=c.practice_hours,
                semesters=list(c.semesters),
                required=c.required,
                prerequisites=list(c.prerequisites),
                teaching_mode=c.teaching_mode,
                stage=c.stage,
                supports={s.competency: s.strength for s in c.supports},
            )
            for order, c in enumerate(parsed.courses, start=1)
        ]
    )
    _apply_extras(programme, created, document)
    audit.record(audit.IMPORT, programme, actor=actor, after={"courses": len(parsed.courses)})
    return programme


def _apply_extras(programme: Programme, courses, document: dict) -> None:
    """Fields the curriculum engine does not model: paper 002's step and the Table III certificate links."""
    raw = {c.get("code"): c for c in document.get("courses") or [] if isinstance(c, dict)}
    certificates = {}
    if programme.framework_id:
        certificates = {c.code: c for c in Certificate.objects.filter(framework_id=programme.framework_id)}
    problems = []
    for course in courses:
        entry = raw.get(course.code) or {}
        step = entry.get("step") or ""
        if step not in Course.Step.values:
            problems.append(
                Problem(_("Unknown step: %(v)s") % {"v": step}, sheet=f"courses ({course.code})", field="step")
            )
        wanted = list(entry.get("certificates") or [])
        unknown = [code for code in wanted if code not in certificates]
        if unknown:
            problems.append(
                Problem(
                    _("Unknown certificate code: %(v)s") % {"v": ", ".join(unknown)},
                    sheet=f"courses ({course.code})",
                    field="certificates",
                )
            )
            continue
        if step:
            Course.objects.filter(pk=course.pk).update(step=step)
        if wanted:
            course.certificates.set([certificates[code] for code in wanted])
    if problems:
        raise CbecError(problems)


def _position_entries(programme: Programme) -> list[dict]:
    """Target positions with their competency requirements: from the framework (highest level per
    competency over a position's requirements), or as embedded in the imported document."""
    out = []
    by_code = {}
    if programme.framework_id:
        links = RequirementCompetency.objects.filter(
            requirement__position__framework_id=programme.framework_id,
            requirement__position__code__in=programme.target_positions,
        ).select_related("competency", "level", "requirement__position")
        for link in links:
            pos = link.requirement.position
            entry = by_code.setdefault(pos.code, {"position": pos, "levels": {}})
            current = entry["levels"].get(link.competency.code)
            if current is None or link.level.rank > current[0]:
                entry["levels"][link.competency.code] = (link.level.rank, link.level.code)
        directions = {
            p.code: [d.code for d in p.directions.all()]
            for p in Position.objects.filter(
                framework_id=programme.framework_id, code__in=programme.target_positions
            ).prefetch_related("directions")
        }
    embedded = {p["code"]: p for p in programme.embedded_positions}
    for code in programme.target_positions:
        if code in by_code:
            pos = by_code[code]["position"]
            reqs = [{"competency": c, "level": lv[1]} for c, lv in by_code[code]["levels"].items()]
            out.append(
                {
                    "code": code,
                    "name": {"zh": pos.name_zh, "en": pos.name_en},
                    "directions": directions.get(code, []),
                    "requirements": reqs,
                }
            )
        elif code in embedded:
            out.append(embedded[code])
    return out


def programme_dict(programme: Programme) -> dict:
    """The programme as a document (the format of reference/programmes/*.yaml)."""
    courses = programme.courses.select_related("module").prefetch_related("certificates").order_by("order")
    doc = {
        "format": "cbec-programme/1",
        "programme": {
            "code": programme.code,
            "version": programme.version,
            "name": {"zh": programme.name_zh, "en": programme.name_en},
            "source": programme.source,
            "semesters": programme.semesters,
        },
        "modules": [
            {"code": m.code, "kind": m.kind, "name": {"zh": m.name_zh, "en": m.name_en}}
            for m in programme.modules.order_by("order")
        ],
        "targets": programme.targets,
        "positions": _position_entries(programme),
        "courses": [
            {
                "code": c.code,
                "name": {"zh": c.name_zh, "en": c.name_en},
                "module": c.module.code,
                "credits": float(c.credits),
                "theory_hours": c.theory_hours,
                "practice_hours": c.practice_hours,
                "semesters": list(c.semesters),
                "required": c.required,
                "prerequisites": list(c.prerequisites),
                "teaching_mode": c.teaching_mode,
                "stage": c.stage,
                "supports": dict(c.supports),
                "step": c.step,
                "certificates": sorted(cert.code for cert in c.certificates.all()),
            }
            for c in courses
        ],
    }
    if programme.stated:
        doc["stated"] = programme.stated
    return doc


def programme_document(programme: Programme) -> ProgrammeDocument:
    try:
        return load_programme_document(programme_dict(programme))
    except ProgrammeDocumentError as exc:
        raise CbecError(_engine_problems(exc)) from None


def _document_fields(values: dict) -> dict:
    """A course's editable values as the programme document holds them (credits as a number)."""
    return {**values, "credits": float(values["credits"])}


@transaction.atomic
def course_update(*, course: Course, expected_version: int | None = None, **values) -> Course:
    """Change a course's editable fields (EDITABLE_FIELDS); the whole programme is re-checked by the engine
    before anything is saved. With ``expected_version`` (the programme version the editor opened) a save made
    after someone else's is refused, naming what the course holds now -- never a silent overwrite."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    programme = Programme.objects.select_for_update().get(pk=course.programme_id)
    if expected_version is not None and programme.lock_version != expected_version:
        stored = Course.objects.get(pk=course.pk)
        changed = [
            Problem(
                _("now %(now)s; yours: %(mine)s") % {"now": _shown(getattr(stored, n)), "mine": _shown(v)}, field=n
            )
            for n, v in values.items()
            if _shown(getattr(stored, n)) != _shown(v)
        ]
        raise CbecError(
            [
                Problem(
                    _(
                        "Someone else saved programme %(p)s since you opened this page (version %(now)d, you opened"
                        " %(mine)d); nothing of yours was saved. What the course holds now differs here:"
                    )
                    % {"p": programme.code, "now": programme.lock_version, "mine": expected_version}
                ),
                *changed,
            ]
        )
    Programme.objects.filter(pk=programme.pk).update(lock_version=F("lock_version") + 1)
    for name, value in values.items():
        setattr(course, name, value)
    course.full_clean()
    doc = programme_dict(course.programme)
    for entry in doc["courses"]:
        if entry["code"] == course.code:
            entry.update(_document_fields(values))
    _check_document(doc, course.programme.framework)
    course.save()
    return course


def _shown(value) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k} {v}" for k, v in sorted(value.items()))
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)).normalize():f}"
    return str(value)


def _check_document(doc: dict, framework: Framework | None) -> None:
    """The engine's checks and our competency-code check on a changed programme document."""
    try:
        load_programme_document(doc)
    except ProgrammeDocumentError as exc:
        raise CbecError(_engine_problems(exc)) from None
    problems = _check_codes(doc, framework)
    if problems:
        raise CbecError(problems)


@transaction.atomic
def course_create(
    *, programme: Programme, module: ProgrammeModule, code: str, name_zh: str, name_en: str, **values
) -> Course:
    """Add a course (code, names, module and every EDITABLE_FIELDS value) once the whole programme, with the new
    course, passes the engine's checks."""
    missing = set(EDITABLE_FIELDS) - set(values)
    if missing or set(values) - set(EDITABLE_FIELDS):
        raise TypeError(f"course_create needs exactly {EDITABLE_FIELDS}")
    code = code.strip()
    if programme.courses.filter(code=code).exists():
        raise CbecError([Problem(_("Duplicate code: %(v)s") % {"v": code}, field="code")])
    names = {"zh": name_zh.strip(), "en": name_en.strip()}
    doc = programme_dict(programme)
    doc["courses"].append({"code": code, "name": names, "module": module.code, **_document_fields(values)})
    _check_document(doc, programme.framework)
    last = programme.courses.order_by("-order").values_list("order", flat=True).first() or 0
    course = Course(
        programme=programme,
        module=module,
        code=code,
        order=last + 1,
        name_zh=names["zh"],
        name_en=names["en"],
        **values,
    )
    course.full_clean()
    course.save()
    Programme.objects.filter(pk=course.programme_id).update(lock_version=F("lock_version") + 1)
    return course


@transaction.atomic
def course_delete(*, course: Course) -> None:
    """Remove a course; refused while another course names it as a prerequisite."""
    dependants = [c.code for c in course.programme.courses.exclude(pk=course.pk) if course.code in c.prerequisites]
    if dependants:
        raise CbecError(
            [
                Problem(
                    _("%(code)s is a prerequisite of %(others)s; change those courses first.")
                    % {"code": course.code, "others": ", ".join(dependants)},
                    field="prerequisites",
                )
            ]
        )
    course.delete()
    Programme.objects.filter(pk=course.programme_id).update(lock_version=F("lock_version") + 1)


def sample_load(*, framework: Framework | None) -> tuple[Programme, bool]:
    """The paper-000 sample programme (reproduces its Table 1); idempotent."""
    document = yaml.safe_load(SAMPLE_FILE.read_text(encoding="utf-8"))
    code = document["programme"]["code"]
    existing = Programme.objects.filter(code=code, is_sample=True).first()
    if existing is not None:
        return existing, False
    return programme_import(document=document, framework=framework, is_sample=True), True
