"""Competition results as Excel: one row per student per result, the evidence a record or an audit needs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cbec_talent.core.excel import SheetSpec, write_workbook

from . import selectors


def results_xlsx(competition=None, student=None) -> bytes:
    rows = selectors.result_rows(competition, student)
    spec = SheetSpec(
        _("Competition results"),
        [
            _("Student number"),
            _("Name"),
            _("Class"),
            _("Competition"),
            _("Level"),
            _("Organiser"),
            _("Date"),
            _("Team"),
            _("Project"),
            _("Award"),
            _("Rank"),
            _("Note"),
        ],
        (14, 12, 14, 36, 12, 24, 12, 18, 30, 14, 8, 30),
    )
    data = (
        (
            r["student"].number,
            r["student"].name,
            r["student"].school_class.name,
            r["entry"].competition.name,
            r["entry"].competition.get_level_display(),
            r["entry"].competition.organiser,
            r["entry"].competition.date,
            r["entry"].team.name,
            r["entry"].team.project.title,
            r["entry"].get_award_display(),
            r["entry"].rank,
            r["entry"].note,
        )
        for r in rows
    )
    return write_workbook([(spec, data)])
