"""The teacher-development ledger as Excel: a summary sheet (one row per teacher, with the derived
dual-qualified status and its reason) and one sheet per kind of entry, in the layout the import reads back."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cbec_talent.core.excel import SheetSpec, write_workbook

from .selectors import TeacherRow
from .services import COLUMNS, SHEETS


def _yes(ok: bool) -> str:
    return _("yes") if ok else _("no")


def _headers(kind: str) -> list[str]:
    return [str(label) for _key, label in COLUMNS[kind]]


def ledger_xlsx(rows: list[TeacherRow]) -> bytes:
    summary, training, practice, qualifications = [], [], [], []
    for r in rows:
        t = r.teacher
        summary.append(
            (
                t.number,
                t.name,
                t.get_kind_display(),
                t.enterprise.name if t.enterprise_id else "",
                t.title,
                t.expertise,
                "; ".join(f"{c.code} {c.name}" for c in t.courses.all()),
                r.training_hours,
                r.practice_hours_total,
                r.status.practice_hours,
                _yes(r.status.dual),
                r.status.reason,
            )
        )
        for e in t.trainings.all():
            training.append((t.number, t.name, e.name, e.provider, e.start, e.end, e.hours, e.certificate))
        for e in t.practices.all():
            practice.append((t.number, t.name, e.enterprise_label, e.start, e.end, e.hours, e.work))
        for e in t.qualifications.all():
            qualifications.append(
                (
                    t.number,
                    t.name,
                    e.get_kind_display(),
                    e.name,
                    e.issuer,
                    e.level,
                    e.obtained,
                    e.valid_until,
                    _yes(e.relevant),
                )
            )
    summary_headers = [
        _("Staff number"),
        _("Teacher"),
        _("Kind of teacher"),
        _("Enterprise"),
        _("Professional title"),
        _("Expertise"),
        _("Courses taught"),
        _("Training hours"),
        _("Enterprise practice hours"),
        _("Enterprise practice hours counted by the rule"),
        _("Dual-qualified"),
        _("Reason"),
    ]
    return write_workbook(
        [
            (SheetSpec(_("Teachers"), summary_headers, (14, 16, 20, 24, 16, 30, 40, 10, 10, 10, 10, 60)), summary),
            (SheetSpec(str(SHEETS["training"]), _headers("training"), (14, 16, 30, 24, 12, 12, 8, 24)), training),
            (SheetSpec(str(SHEETS["practice"]), _headers("practice"), (14, 16, 30, 12, 12, 8, 50)), practice),
            (
                SheetSpec(
                    str(SHEETS["qualification"]), _headers("qualification"), (14, 16, 24, 30, 24, 10, 12, 12, 10)
                ),
                qualifications,
            ),
        ]
    )


def import_template_xlsx() -> bytes:
    return write_workbook(
        [(SheetSpec(str(SHEETS[kind]), _headers(kind), [18] * len(COLUMNS[kind])), []) for kind in COLUMNS]
    )
