"""Writes of the faculty app: teacher profiles, ledger entries (training, enterprise practice, qualifications)
one at a time or by an all-or-nothing Excel import. Every function validates (full_clean) and is atomic; saves
and deletes are audited by the accounts signals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cbec_talent.core import audit
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import read_workbook
from cbec_talent.partnerships.models import Enterprise

from .models import PracticeRecord, Qualification, Teacher, TrainingRecord

ENTRY_MODELS = {"training": TrainingRecord, "practice": PracticeRecord, "qualification": Qualification}
TEACHER_FIELDS = ("number", "name", "kind", "user", "enterprise", "title", "expertise")


def _validated(obj, *, row=None, sheet=None, labels=None):
    """full_clean, turning Django's errors into problems (naming the column when labels map field -> column)."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        problems = []
        for name, messages in exc.message_dict.items():
            field = None if name == "__all__" else (labels or {}).get(name, name)
            for message in messages:
                problems.append(Problem(message, row=row, field=field, sheet=sheet))
        raise CbecError(problems) from None
    return obj


# ---- teachers -------------------------------------------------------------------------------------------------


@transaction.atomic
def teacher_create(*, courses=(), **fields) -> Teacher:
    unknown = set(fields) - set(TEACHER_FIELDS)
    if unknown:
        raise TypeError(f"unknown teacher fields: {sorted(unknown)}")
    teacher = Teacher(**fields)
    if teacher.kind == Teacher.Kind.SCHOOL:
        teacher.enterprise = None
    _validated(teacher).save()
    teacher.courses.set(courses)
    return teacher


@transaction.atomic
def teacher_update(*, teacher: Teacher, courses=None, **fields) -> Teacher:
    for name, value in fields.items():
        if name not in TEACHER_FIELDS:
            raise TypeError(f"unknown teacher field: {name}")
        setattr(teacher, name, value)
    if teacher.kind == Teacher.Kind.SCHOOL:
        teacher.enterprise = None
    _validated(teacher).save()
    if courses is not None:
        teacher.courses.set(courses)
    return teacher


# ---- ledger entries -------------------------------------------------------------------------------------------


@transaction.atomic
def ledger_entry_create(*, teacher: Teacher, entry_type: str, **fields):
    """entry_type: "training", "practice" or "qualification"; fields: the entry's model fields."""
    entry = ENTRY_MODELS[entry_type](teacher=teacher, **fields)
    _validated(entry).save()
    return entry


@transaction.atomic
def ledger_entry_update(*, entry, **fields):
    for name, value in fields.items():
        if name in ("teacher", "teacher_id", "id", "pk"):
            raise TypeError(f"{name} cannot be changed")
        setattr(entry, name, value)
    _validated(entry).save()
    return entry


@transaction.atomic
def ledger_entry_delete(*, entry) -> None:
    entry.delete()


# ---- Excel import ---------------------------------------------------------------------------------------------

# sheet key -> (English sheet name, translated sheet name)
SHEETS = {
    "training": gettext_lazy("Training"),
    "practice": gettext_lazy("Enterprise practice"),
    "qualification": gettext_lazy("Qualifications"),
}
# sheet key -> [(model field or pseudo field, English header, translatable header)]
COLUMNS = {
    "training": [
        ("number", gettext_lazy("Staff number")),
        ("teacher_name", gettext_lazy("Teacher")),
        ("name", gettext_lazy("Training")),
        ("provider", gettext_lazy("Provider")),
        ("start", gettext_lazy("Start")),
        ("end", gettext_lazy("End")),
        ("hours", gettext_lazy("Hours")),
        ("certificate", gettext_lazy("Certificate obtained")),
    ],
    "practice": [
        ("number", gettext_lazy("Staff number")),
        ("teacher_name", gettext_lazy("Teacher")),
        ("enterprise", gettext_lazy("Enterprise")),
        ("start", gettext_lazy("Start")),
        ("end", gettext_lazy("End")),
        ("hours", gettext_lazy("Hours")),
        ("work", gettext_lazy("Work done")),
    ],
    "qualification": [
        ("number", gettext_lazy("Staff number")),
        ("teacher_name", gettext_lazy("Teacher")),
        ("kind", gettext_lazy("Kind of qualification")),
        ("name", gettext_lazy("Qualification")),
        ("issuer", gettext_lazy("Issuer")),
        ("level", gettext_lazy("Level")),
        ("obtained", gettext_lazy("Date obtained")),
        ("valid_until", gettext_lazy("Valid until")),
        ("relevant", gettext_lazy("Relevant to cross-border e-commerce")),
    ],
}
REQUIRED = {
    "training": ("number", "name", "start", "end", "hours"),
    "practice": ("number", "enterprise", "start", "end", "hours"),
    "qualification": ("number", "kind", "name", "obtained"),
}
YES = {"yes", "y", "true", "1", "是", "✓", "x"}
NO = {"no", "n", "false", "0", "否"}


def _accepted(label) -> tuple[str, ...]:
    """A header or sheet name in English and in the current language."""
    from django.utils import translation

    with translation.override("en"):
        english = str(label)
    return tuple(dict.fromkeys((english, str(label))))


def _sheet_key(name: str) -> str | None:
    for key, label in SHEETS.items():
        if name.strip() in _accepted(label):
            return key
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("not a date (YYYY-MM-DD): %(v)s") % {"v": text[:20]}) from None


def _hours(value) -> int:
    text = _text(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("not a number of hours: %(v)s") % {"v": text[:20]}) from None
    if number < 0 or number != number.to_integral_value():
        raise ValueError(_("hours must be a whole number, 0 or more: %(v)s") % {"v": text[:20]})
    return int(number)


def _kind(value) -> str:
    text = _text(value)
    for code, label in Qualification.Kind.choices:
        if text.lower() == code or text in _accepted(label):
            return code
    raise ValueError(
        _("unknown kind of qualification %(v)s; use one of: %(choices)s")
        % {"v": text[:40], "choices": ", ".join(str(label) for _c, label in Qualification.Kind.choices)}
    )


def _yes_no(value) -> bool:
    text = _text(value).lower()
    if not text or text in YES or text == _("yes").lower():
        return True
    if text in NO or text == _("no").lower():
        return False
    raise ValueError(_("answer yes or no: %(v)s") % {"v": text[:20]})


def _duplicate_key(kind: str, entry) -> tuple:
    if kind == "training":
        return (entry.teacher_id, entry.name, entry.start, entry.end)
    if kind == "practice":
        return (entry.teacher_id, entry.enterprise_id, entry.enterprise_name, entry.start, entry.end)
    return (entry.teacher_id, entry.kind, entry.name, entry.obtained)


def _parse_row(kind, record, labels, teachers, enterprises):
    """(fields for the model, problems) of one row; problems carry only message and column."""
    problems = []
    values = {}

    def cell(key):
        for header in labels[key][1]:
            if header in record:
                return record[header]
        return None

    for key in REQUIRED[kind]:
        if not _text(cell(key)):
            problems.append((_("this column is required"), key))
    if problems:
        return None, problems
    number = _text(cell("number"))
    teacher = teachers.get(number)
    if teacher is None:
        problems.append((_("no teacher with staff number %(n)s") % {"n": number}, "number"))
    values["teacher"] = teacher
    converters = {
        "start": _date,
        "end": _date,
        "obtained": _date,
        "valid_until": lambda v: _date(v) if _text(v) else None,
        "hours": _hours,
        "kind": _kind,
        "relevant": _yes_no,
    }
    for key, _label in COLUMNS[kind]:
        if key in ("number", "teacher_name"):
            continue
        raw = cell(key)
        if key == "enterprise":
            name = _text(raw)
            values["enterprise"] = enterprises.get(name)
            values["enterprise_name"] = "" if values["enterprise"] else name
            continue
        try:
            values[key] = converters[key](raw) if key in converters else _text(raw)
        except ValueError as exc:
            problems.append((str(exc), key))
    return values, problems


@transaction.atomic
def ledger_import(*, data: bytes, actor=None) -> dict[str, int]:
    """Rows of the sheets "Training", "Enterprise practice", "Qualifications" (as the export writes them, in
    English or the current language) -> ledger entries. Nothing is stored unless every row is valid; a row equal
    to an entry already in the ledger is skipped, so an exported ledger can be imported again."""
    workbook = read_workbook(data)
    found = {key: (name, rows) for name, rows in workbook.items() if (key := _sheet_key(name))}
    if not found:
        raise CbecError(
            [
                Problem(
                    _("No ledger sheet found; name the sheets %(names)s.")
                    % {"names": ", ".join(f"“{SHEETS[k]}”" for k in SHEETS)}
                )
            ]
        )
    teachers = {t.number: t for t in Teacher.objects.all()}
    enterprises = {e.name: e for e in Enterprise.objects.all()}
    existing = {kind: {_duplicate_key(kind, e) for e in model.objects.all()} for kind, model in ENTRY_MODELS.items()}
    problems: list[Problem] = []
    pending = []
    skipped = 0
    for kind, (sheet, rows) in found.items():
        # each column as the file spells it (English or the current language)
        labels = {}
        for key, label in COLUMNS[kind]:
            accepted = _accepted(label)
            spelled = next((h for h in accepted if any(h in r for _n, r in rows)), accepted[-1])
            labels[key] = (spelled, accepted)
        field_labels = {key: spelled for key, (spelled, _a) in labels.items()}
        field_labels["enterprise_name"] = field_labels.get("enterprise")
        field_labels["teacher"] = field_labels["number"]
        for row, record in rows:
            values, row_problems = _parse_row(kind, record, labels, teachers, enterprises)
            for message, key in row_problems:
                problems.append(Problem(message, row=row, field=field_labels[key], sheet=sheet))
            if row_problems:
                continue
            entry = ENTRY_MODELS[kind](**values)
            try:
                _validated(entry, row=row, sheet=sheet, labels=field_labels)
            except CbecError as exc:
                problems.extend(exc.problems)
                continue
            key = _duplicate_key(kind, entry)
            if key in existing[kind]:
                skipped += 1
                continue
            existing[kind].add(key)
            pending.append(entry)
    if problems:
        raise CbecError(problems)
    counts = dict.fromkeys(ENTRY_MODELS, 0)
    for entry in pending:
        entry.save()
        counts[next(k for k, m in ENTRY_MODELS.items() if isinstance(entry, m))] += 1
    counts["skipped"] = skipped
    audit.record(audit.IMPORT, None, actor=actor, after={"faculty_ledger": counts}, object_repr="faculty ledger")
    return counts
