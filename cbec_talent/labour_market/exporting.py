"""Excel exports of the demand figures and the gap report (core.excel: formula-injection safe)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cbec_talent.core.excel import SheetSpec, write_workbook

SHEET_TITLES = {
    "competency": "competencies",
    "position": "positions",
    "occupation": "occupations",
    "platform": "platforms",
    "language": "languages",
    "city": "cities",
    "month": "months",
    "esco": "esco_skills",
}


def dashboard_xlsx(figures: dict) -> bytes:
    headers = [_("Code"), _("Name"), _("Postings"), _("Share of postings (%)")]
    sheets = [
        (
            SheetSpec("summary", [_("Figure"), _("Value")], (30, 14)),
            [[_("Postings"), figures["postings"]]],
        ),
        (
            SheetSpec("top_skills", [_("Rank"), *headers], (8, 18, 36, 12, 18)),
            [[r["rank"], r["code"], r["name"], r["postings"], r["share"]] for r in figures["ranking"]],
        ),
        (
            SheetSpec(
                "survey_000", [_("Survey rank (paper 000)"), _("Skill"), _("Code"), _("Our rank")], (14, 30, 18, 10)
            ),
            [[s["survey_rank"], s["label"], s["code"], s["our_rank"] or "—"] for s in figures["survey"]],
        ),
    ]
    for kind, title in SHEET_TITLES.items():
        rows = [[r["code"], r["name"], r["postings"], r["share"]] for r in figures["tables"][kind]]
        sheets.append((SheetSpec(title, headers, (18, 36, 12, 18)), rows))
    return write_workbook(sheets)


def gap_xlsx(programme, report: dict) -> bytes:
    headers = [
        _("Rank"), _("Code"), _("Competency"), _("Postings"), _("Share of postings (%)"),
        _("Strength units"), _("Coverage status"), _("Gap"), _("Modules"), _("Courses"),
    ]  # fmt: skip
    rows = [
        [r["rank"], r["code"], r["name"], r["postings"], r["share"], r["strength"], r["status"], r["gap"],
         "\n".join(r["modules"]), "\n".join(r["courses"])]
        for r in report["rows"]
    ]  # fmt: skip
    widths = (6, 16, 30, 10, 12, 12, 12, 8, 30, 40)
    if report.get("cohort") is not None:
        headers.append(_("Cohort attainment (%)"))
        widths += (14,)
        for row, r in zip(rows, report["rows"], strict=True):
            row.append(r.get("attainment"))
    weights = [[k, v] for k, v in report["weights"].items()]
    return write_workbook(
        [
            (SheetSpec("gaps", headers, widths), rows),
            (SheetSpec("weights", [_("Code"), _("Weight")], (18, 12)), weights),
            (
                SheetSpec("programme", [_("Figure"), _("Value")], (30, 30)),
                [[_("Programme"), f"{programme.code} {programme.version}"], [_("Postings"), report["postings"]]],
            ),
        ]
    )
