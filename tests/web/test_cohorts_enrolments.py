"""Enrolments per course and term from Excel: a good sheet enrols (and a re-import moves a term), a bad sheet is
refused whole with row-and-column messages, the template downloads, and the student's profile lists them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cbec_talent.accounts.models import AuditLog
from cbec_talent.cohorts import services
from cbec_talent.cohorts.models import Enrolment, SchoolClass, Student
from cbec_talent.core.errors import CbecError
from cbec_talent.core.excel import SheetSpec, read_workbook, write_workbook
from cbec_talent.programmes.models import Programme

NUMBER, COURSE, TERM = services.ENROLMENT_HEADERS


@pytest.fixture
def cohort(db):
    programme = Programme.objects.get(code="P000-CBEC")
    cohort = services.cohort_create(programme=programme, intake_year=2025, name="enrol")
    klass = SchoolClass.objects.create(cohort=cohort, name="E1")
    for n in ("E001", "E002"):
        Student.objects.create(number=n, name=f"学生{n}", school_class=klass)
    other = services.cohort_create(programme=programme, intake_year=2024, name="other")
    Student.objects.create(number="X999", name="别的", school_class=SchoolClass.objects.create(cohort=other, name="X"))
    return cohort


def sheet(rows, headers=services.ENROLMENT_HEADERS) -> bytes:
    return write_workbook([(SheetSpec("Enrolments", headers), rows)])


def terms() -> dict[tuple[str, str], int]:
    return {(e.student.number, e.course.code): e.term for e in Enrolment.objects.select_related("student", "course")}


def test_good_sheet_enrols_and_reimport_moves_the_term(cohort, role_users):
    data = sheet([("E001", "SP01", 1), ("E001", "SP05", "2"), ("E002", "SP01", 1.0)])
    counts = services.enrolments_import(cohort=cohort, data=data, actor=role_users["director"])
    assert counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert terms() == {("E001", "SP01"): 1, ("E001", "SP05"): 2, ("E002", "SP01"): 1}
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, object_id=str(cohort.pk)).exists()

    again = services.enrolments_import(cohort=cohort, data=sheet([("E001", "SP01", 3), ("E002", "SP01", 1)]))
    assert again == {"created": 0, "updated": 1, "unchanged": 1}
    assert terms()[("E001", "SP01")] == 3 and Enrolment.objects.count() == 3


def test_bad_sheet_is_refused_whole_naming_row_and_column(cohort):
    data = sheet(
        [
            ("E001", "SP01", 1),  # row 2: fine on its own
            ("NOPE", "SP01", 1),  # row 3: unknown student number
            ("X999", "SP01", 1),  # row 4: a student of another cohort
            ("E002", "ZZ99", 1),  # row 5: unknown course code
            ("E002", "SP05", "abc"),  # row 6: term is text
            ("E002", "SP07", 0),  # row 7: term not positive
            ("E002", "SP02", 1.5),  # row 8: term not whole
            ("E001", "SP01", 2),  # row 9: duplicate of row 2
        ]
    )
    with pytest.raises(CbecError) as info, translation.override("en"):
        services.enrolments_import(cohort=cohort, data=data)
    where = {(p.row, p.field) for p in info.value.problems}
    assert where == {(3, NUMBER), (4, NUMBER), (5, COURSE), (6, TERM), (7, TERM), (8, TERM), (9, COURSE)}
    messages = " ".join(p.message for p in info.value.problems)
    assert "NOPE" in messages and "ZZ99" in messages and "abc" in messages and "row 2" in messages
    assert Enrolment.objects.count() == 0


def test_missing_column_and_term_after_the_last_one(cohort):
    with pytest.raises(CbecError) as info:
        services.enrolments_import(cohort=cohort, data=sheet([("E001", "SP01")], headers=(NUMBER, COURSE)))
    assert [(p.row, p.field) for p in info.value.problems] == [(1, TERM), (2, TERM)]
    with pytest.raises(CbecError) as info:
        services.enrolments_import(cohort=cohort, data=sheet([("E001", "SP01", 99)]))
    assert [(p.row, p.field) for p in info.value.problems] == [(2, TERM)]
    assert Enrolment.objects.count() == 0


def test_pages_import_template_and_profile(client, role_users, cohort):
    client.force_login(role_users["teacher"])
    template = client.get(f"/cohorts/{cohort.pk}/enrolments/template.xlsx")
    assert template.status_code == 200
    rows = next(iter(read_workbook(template.content).values()))
    assert rows and {r[NUMBER] for _n, r in rows} <= {"E001", "E002"}
    assert client.get(f"/cohorts/{cohort.pk}/enrolments/import/").status_code == 403

    client.force_login(role_users["director"])
    bad = client.post(
        f"/cohorts/{cohort.pk}/enrolments/import/", {"file": SimpleUploadedFile("e.xlsx", sheet([("E001", "Q1", 1)]))}
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and 'data-row="2"' in html and f'data-field="{COURSE}"' in html and "Q1" in html
    assert Enrolment.objects.count() == 0
    good = client.post(
        f"/cohorts/{cohort.pk}/enrolments/import/",
        {"file": SimpleUploadedFile("e.xlsx", sheet([("E001", "SP05", 2), ("E002", "SP05", 2)]))},
    )
    assert good.status_code == 302
    summary = client.get(good["Location"]).content.decode()
    assert 'data-course="SP05" data-term="2"><td>2</td>' in summary and "<td>2</td></tr>" in summary
    student = Student.objects.get(number="E001")
    profile = client.get(f"/cohorts/students/{student.pk}/").content.decode()
    assert 'id="enrolments"' in profile and 'data-course="SP05" data-term="2"' in profile
