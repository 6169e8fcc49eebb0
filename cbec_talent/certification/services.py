"""Writes of the certification app: held certificates (one at a time or an all-or-nothing Excel import) and
the practice certification. Every function validates (full_clean) and runs in a transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cbec_talent.cohorts.models import Cohort, Student
from cbec_talent.competencies.models import Certificate
from cbec_talent.core import audit
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import read_workbook

from .audit import AuditResult, cohort_audit, graduation_audit  # noqa: F401  (public API)
from .models import HeldCertificate, PracticeCertification


def _validated(obj):
    try:
        obj.full_clean()
    except ValidationError as exc:
        problems = []
        for name, messages in exc.message_dict.items():
            for message in messages:
                problems.append(Problem(message, field=None if name == "__all__" else name))
        raise CbecError(problems) from None
    return obj


@transaction.atomic
def held_certificate_create(
    *,
    student: Student,
    obtained: dt.date,
    certificate: Certificate | None = None,
    name: str = "",
    level: str = "",
    evidence: str = "",
    actor=None,
    catalogue=None,
) -> HeldCertificate:
    if catalogue is not None and not name.strip() and certificate is None:
        name = catalogue.name_zh
        if catalogue.levels and level.strip() and level.strip() not in catalogue.levels:
            raise CbecError([Problem(_("level %(l)s is not a level of certificate %(c)s (%(all)s)")
                                     % {"l": level, "c": catalogue.code, "all": " / ".join(catalogue.levels)},
                                     field="level")])
    held = HeldCertificate(
        student=student,
        certificate=certificate,
        catalogue=catalogue,
        name=name.strip(),
        level=level.strip(),
        obtained=obtained,
        evidence=evidence.strip(),
        verified_by=actor,
    )
    _validated(held).save()
    return held


@transaction.atomic
def held_certificate_delete(*, held: HeldCertificate) -> None:
    held.delete()


@transaction.atomic
def practice_certification_set(
    *, student: Student, school_signed: bool, enterprise_signed: bool, note: str = "", actor=None
) -> PracticeCertification:
    record = PracticeCertification.objects.filter(student=student).first() or PracticeCertification(student=student)
    record.school_signed = school_signed
    record.enterprise_signed = enterprise_signed
    record.note = note.strip()
    record.recorded_by = actor
    _validated(record).save()
    return record


def import_columns() -> dict[str, tuple[str, ...]]:
    """Column key -> accepted headers (English and the current language)."""
    pairs = {
        "number": ("Student number", _("Student number")),
        "code": ("Certificate code", _("Certificate code")),
        "name": ("Vocational skill certificate", _("Vocational skill certificate")),
        "level": ("Level", _("Level")),
        "obtained": ("Date obtained", _("Date obtained")),
        "evidence": ("Evidence", _("Evidence")),
    }
    return {k: tuple(dict.fromkeys(v)) for k, v in pairs.items()}


def _cell(record: dict, headers: tuple[str, ...]):
    for h in headers:
        if h in record:
            return record[h]
    return None


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or not str(value).strip():
        raise ValueError(_("a date is required"))
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(_("not a date (YYYY-MM-DD): %(v)s") % {"v": str(value)[:20]}) from None


@transaction.atomic
def held_certificates_import(*, cohort: Cohort, data: bytes, actor=None) -> int:
    """Rows of the first sheet -> held certificates of the cohort's students; nothing stored unless every row
    is valid. Each row names either a certificate code (of the programme's framework, or of the certificate
    catalogue, e.g. 1X.B2C-DATA with a level among its levels) or a vocational skill certificate name."""
    from .models import CatalogueCertificate

    sheets = read_workbook(data)
    rows = next(iter(sheets.values()), [])
    sheet = next(iter(sheets), None)
    cols = import_columns()
    students = {s.number: s for s in Student.objects.filter(school_class__cohort=cohort)}
    framework = cohort.programme.framework_id
    certs = {c.code: c for c in Certificate.objects.filter(framework_id=framework)} if framework else {}
    catalogue = {c.code: c for c in CatalogueCertificate.objects.all()}
    problems: list[Problem] = []
    pending = []
    if not rows:
        raise CbecError([Problem(_("The sheet has no rows."), sheet=sheet)])
    # problems name the column as the file spells it (English or the current language)
    label = {k: next((h for h in hs if any(h in r for _n, r in rows)), hs[-1]) for k, hs in cols.items()}
    for row, record in rows:
        number = str(_cell(record, cols["number"]) or "").strip()
        code = str(_cell(record, cols["code"]) or "").strip()
        name = str(_cell(record, cols["name"]) or "").strip()
        start = len(problems)
        student = students.get(number)
        if student is None:
            msg = _("no student %(n)s in this cohort") % {"n": number} if number else _("a student number is required")
            problems.append(Problem(msg, row=row, field=label["number"], sheet=sheet))
        certificate = listed = None
        level = str(_cell(record, cols["level"]) or "").strip()[:60]
        if code:
            certificate = certs.get(code)
            listed = catalogue.get(code) if certificate is None else None
            if listed is not None and listed.levels and level not in listed.levels:
                problems.append(
                    Problem(
                        _("level %(l)s is not a level of certificate %(c)s (%(all)s)")
                        % {"l": level or "—", "c": listed.code, "all": " / ".join(listed.levels)},
                        row=row,
                        field=label["level"],
                        sheet=sheet,
                    )
                )
            if certificate is None and listed is None:
                problems.append(
                    Problem(
                        _("unknown certificate code %(c)s") % {"c": code}, row=row, field=label["code"], sheet=sheet
                    )
                )
        if bool(code) == bool(name):
            problems.append(
                Problem(
                    _("give either a certificate code or a vocational skill certificate name"),
                    row=row,
                    field=label["code"],
                    sheet=sheet,
                )
            )
        try:
            obtained = _date(_cell(record, cols["obtained"]))
        except ValueError as exc:
            problems.append(Problem(str(exc), row=row, field=label["obtained"], sheet=sheet))
        if len(problems) == start:
            pending.append(
                HeldCertificate(
                    student=student,
                    certificate=certificate,
                    catalogue=listed,
                    name=listed.name_zh if listed is not None else name,
                    level=level,
                    obtained=obtained,
                    evidence=str(_cell(record, cols["evidence"]) or "").strip()[:300],
                    verified_by=actor,
                )
            )
    if problems:
        raise CbecError(problems)
    for held in pending:
        _validated(held).save()
    audit.record(audit.IMPORT, cohort, actor=actor, after={"held_certificates": len(pending)})
    return len(pending)
