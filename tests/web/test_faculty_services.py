"""Teacher development: the dual-qualified rule, the profile checks, the ledger's Excel export and import."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from cbec_talent.core.errors import CbecError
from cbec_talent.faculty import exports, selectors, services
from cbec_talent.faculty.models import PracticeRecord, Qualification, Teacher, TrainingRecord
from cbec_talent.faculty.rules import DualRule, dual_status, rule_text

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def english():
    """Sheet names, headers and messages in English (the default language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


RULE = DualRule(practice_hours=960, practice_years=5, qualification_kinds=("vocational", "industry_title"))


def practice(end: dt.date, hours: int) -> PracticeRecord:
    return PracticeRecord(start=end - dt.timedelta(days=30), end=end, hours=hours, enterprise_name="X")


def qualification(kind="vocational", relevant=True, valid_until=None, obtained=dt.date(2024, 6, 1)):
    return Qualification(
        kind=kind, name="跨境电子商务师", relevant=relevant, obtained=obtained, valid_until=valid_until
    )


# ---- the rule (no database) ------------------------------------------------------------------------------------


def test_a_relevant_vocational_qualification_makes_a_teacher_dual_qualified():
    status = dual_status(qualifications=[qualification()], practices=[], today=TODAY, rule=RULE)
    assert status.dual
    assert "跨境电子商务师" in status.reason and "2024-06-01" in status.reason


def test_enough_recent_enterprise_practice_makes_a_teacher_dual_qualified():
    practices = [practice(dt.date(2023, 8, 31), 480), practice(dt.date(2025, 9, 10), 480)]
    status = dual_status(qualifications=[], practices=practices, today=TODAY, rule=RULE)
    assert status.dual and status.practice_hours == 960
    assert "960" in status.reason


def test_old_practice_and_irrelevant_or_expired_qualifications_do_not_count():
    practices = [practice(dt.date(2021, 11, 1), 2000), practice(dt.date(2025, 1, 31), 959)]
    qualifications = [
        qualification(relevant=False),
        qualification(valid_until=dt.date(2025, 12, 31)),
        qualification(kind="other"),
    ]
    status = dual_status(qualifications=qualifications, practices=practices, today=TODAY, rule=RULE)
    assert not status.dual
    assert status.practice_hours == 959  # the 2021 practice ended more than 5 years ago
    assert "959" in status.reason and "960" in status.reason


def test_the_rule_constants_come_from_the_settings(settings):
    practices = [practice(dt.date(2025, 9, 10), 500)]
    assert not dual_status(qualifications=[], practices=practices, today=TODAY).dual
    settings.FACULTY_DUAL_PRACTICE_HOURS = 400
    assert dual_status(qualifications=[], practices=practices, today=TODAY).dual
    assert "400" in rule_text()


# ---- profiles --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_enterprise_part_time_teacher_needs_an_enterprise_and_a_tutor_login(make_user):
    with pytest.raises(CbecError) as err:
        services.teacher_create(number="E9", name="x", kind=Teacher.Kind.ENTERPRISE)
    assert [p.field for p in err.value.problems] == ["enterprise"]
    from cbec_talent.partnerships.models import Enterprise

    ent = Enterprise.objects.create(name="Fac Co")
    with pytest.raises(CbecError) as err:
        services.teacher_create(
            number="E9", name="x", kind=Teacher.Kind.ENTERPRISE, enterprise=ent, user=make_user("t9", "teacher")
        )
    assert [p.field for p in err.value.problems] == ["user"]
    assert not Teacher.objects.filter(number="E9").exists()


# ---- Excel -----------------------------------------------------------------------------------------------------


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TRAINING_HEAD = ["Staff number", "Teacher", "Training", "Provider", "Start", "End", "Hours", "Certificate obtained"]
PRACTICE_HEAD = ["Staff number", "Teacher", "Enterprise", "Start", "End", "Hours", "Work done"]


@pytest.fixture
def teacher(db):
    return services.teacher_create(number="T100", name="Li")


def test_import_names_row_and_field_of_every_problem_and_writes_nothing(teacher):
    data = _xlsx(
        {
            "Training": [
                TRAINING_HEAD,
                ["T100", "Li", "Good row", "P", "2026-01-05", "2026-01-06", 16, ""],
                ["T999", "?", "Unknown teacher", "P", "2026-01-05", "2026-01-06", 16, ""],
                ["T100", "Li", "Bad hours", "P", "2026-01-05", "2026-01-06", "many", ""],
                ["T100", "Li", "Ends first", "P", "2026-02-05", "2026-01-06", 8, ""],
            ],
            "Enterprise practice": [PRACTICE_HEAD, ["T100", "Li", "", "2026-03-01", "not a date", 40, ""]],
        }
    )
    with pytest.raises(CbecError) as err:
        services.ledger_import(data=data)
    where = {(p.sheet, p.row, p.field) for p in err.value.problems}
    assert ("Training", 3, "Staff number") in where
    assert ("Training", 4, "Hours") in where
    assert ("Training", 5, "End") in where
    assert ("Enterprise practice", 2, "Enterprise") in where
    assert not any(sheet == "Training" and row == 2 for sheet, row, _field in where)  # the valid row
    assert TrainingRecord.objects.count() == 0 and PracticeRecord.objects.count() == 0


def test_import_stores_valid_rows_and_a_reimported_export_adds_nothing(teacher):
    from cbec_talent.partnerships.models import Enterprise

    Enterprise.objects.create(name="Alliance Co")
    data = _xlsx(
        {
            "Training": [TRAINING_HEAD, ["T100", "Li", "Workshop", "P", "2026-01-05", "2026-01-06", 16, "cert"]],
            "Enterprise practice": [
                PRACTICE_HEAD,
                ["T100", "Li", "Alliance Co", "2025-07-01", "2025-08-31", 480, "ads"],
                ["T100", "Li", "Other Co", "2024-07-01", "2024-08-31", 480, "listings"],
            ],
            "Qualifications": [
                [
                    "Staff number",
                    "Kind of qualification",
                    "Qualification",
                    "Date obtained",
                    "Relevant to cross-border e-commerce",
                ],
                ["T100", "Industry title", "Economist", "2020-01-01", "yes"],
            ],
        }
    )
    counts = services.ledger_import(data=data)
    assert counts == {"training": 1, "practice": 2, "qualification": 1, "skipped": 0}
    linked = PracticeRecord.objects.get(start=dt.date(2025, 7, 1))
    assert linked.enterprise.name == "Alliance Co"
    assert PracticeRecord.objects.get(start=dt.date(2024, 7, 1)).enterprise_name == "Other Co"
    assert Qualification.objects.get().kind == "industry_title"

    exported = exports.ledger_xlsx(selectors.teacher_rows())
    again = services.ledger_import(data=exported)
    assert again == {"training": 0, "practice": 0, "qualification": 0, "skipped": 4}
    assert TrainingRecord.objects.count() == 1 and PracticeRecord.objects.count() == 2


def test_export_escapes_formulas_and_shows_the_derived_status(teacher):
    services.ledger_entry_create(
        teacher=teacher,
        entry_type="training",
        name='=HYPERLINK("http://evil","x")',
        start=dt.date(2026, 1, 5),
        end=dt.date(2026, 1, 6),
        hours=8,
    )
    wb = load_workbook(io.BytesIO(exports.ledger_xlsx(selectors.teacher_rows())))
    assert wb["Training"]["C2"].value == '\'=HYPERLINK("http://evil","x")'
    summary = wb["Teachers"]
    headers = [c.value for c in summary[1]]
    row = {h: c.value for h, c in zip(headers, summary[2], strict=True)}
    assert row["Staff number"] == "T100" and row["Dual-qualified"] == "no"
    assert row["Reason"].startswith("Not yet")
