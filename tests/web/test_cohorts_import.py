"""Student import from Excel: a good sheet creates (and re-import updates) students; a bad sheet is refused
whole with row-and-column messages (missing number, duplicate number, unknown class, bad direction)."""

from __future__ import annotations

import pytest

from cbec_talent.accounts.models import AuditLog
from cbec_talent.cohorts import services
from cbec_talent.cohorts.models import SchoolClass, Student
from cbec_talent.core.errors import CbecError
from cbec_talent.core.excel import SheetSpec, write_workbook
from cbec_talent.programmes.models import Programme

HEADERS = services.STUDENT_HEADERS
NUMBER, NAME, CLASS, DIRECTION, LANGS = HEADERS


@pytest.fixture
def cohort(db):
    cohort = services.cohort_create(
        programme=Programme.objects.get(code="P000-CBEC"), intake_year=2025, name="跨境 2025"
    )
    for name in ("2501", "2502"):
        SchoolClass.objects.create(cohort=cohort, name=name)
    return cohort


def sheet(rows) -> bytes:
    return write_workbook([(SheetSpec("Students", HEADERS), rows)])


def test_good_sheet_creates_students_and_reimport_updates_by_number(cohort, role_users):
    data = sheet(
        [
            ("S001", "王一", "2501", "DIR.OP", "英语, 西班牙语"),
            ("S002", "李二", "2502", "", "英语"),
        ]
    )
    counts = services.students_import(cohort=cohort, data=data, actor=role_users["director"])
    assert counts == {"created": 2, "updated": 0}
    s1 = Student.objects.get(number="S001")
    assert (s1.name, s1.school_class.name, s1.direction_code, s1.languages) == (
        "王一",
        "2501",
        "DIR.OP",
        ["英语", "西班牙语"],
    )
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, object_id=str(cohort.pk)).exists()

    again = services.students_import(cohort=cohort, data=sheet([("S001", "王一", "2502", "DIR.DA", "")]))
    assert again == {"created": 0, "updated": 1}
    s1.refresh_from_db()
    assert (s1.school_class.name, s1.direction_code) == ("2502", "DIR.DA")
    assert Student.objects.count() == 2


def test_bad_sheet_is_refused_with_row_and_column_and_nothing_is_stored(cohort):
    data = sheet(
        [
            ("S010", "好学生", "2501", "DIR.OP", ""),  # row 2: fine on its own
            ("", "无学号", "2501", "", ""),  # row 3: missing number
            ("S010", "重复", "2501", "", ""),  # row 4: duplicate number
            ("S011", "错班级", "9999", "", ""),  # row 5: unknown class
            ("S012", "错方向", "2502", "DIR.NOPE", ""),  # row 6: bad direction code
        ]
    )
    with pytest.raises(CbecError) as info:
        services.students_import(cohort=cohort, data=data)
    where = {(p.row, p.field) for p in info.value.problems}
    assert {(3, NUMBER), (4, NUMBER), (5, CLASS), (6, DIRECTION)} <= where
    assert all(p.row != 2 for p in info.value.problems)
    assert any("9999" in p.message for p in info.value.problems)
    assert any("DIR.NOPE" in p.message for p in info.value.problems)
    assert Student.objects.count() == 0


def test_import_page_shows_the_problems(client, role_users, cohort):
    client.force_login(role_users["director"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("s.xlsx", sheet([("S1", "甲", "nope", "", "")]))
    response = client.post(f"/cohorts/{cohort.pk}/students/import/", {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-row="2"' in html and "nope" in html
    assert Student.objects.count() == 0
    template = client.get(f"/cohorts/{cohort.pk}/students/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
