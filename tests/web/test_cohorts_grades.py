"""Grades: grid entry changes a student's attainment and radar, corrections are audited, a malformed class
sheet is refused with row and column and stores nothing, and the figures equal a hand computation exactly on
whichever database the suite runs (SQLite or PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cbec_talent.accounts.models import AuditLog
from cbec_talent.cohorts import selectors, services
from cbec_talent.cohorts.models import Grade, SchoolClass, Student
from cbec_talent.core.errors import CbecError
from cbec_talent.core.excel import read_workbook, write_workbook
from cbec_talent.engines.attainment import roll_up, scores_from_records
from cbec_talent.programmes.models import Programme

# SP01 supports OPS.PLATFORM (H), MKT.CONTENT (M), OPS.SERVICE (M) in the sample programme.
PLAN = [
    {"code": "EXAM", "kind": "theory_exam", "weight": 40, "competencies": []},
    {"code": "OPS", "kind": "platform_operation", "weight": 60, "competencies": ["OPS.PLATFORM"]},
]


@pytest.fixture
def setup(db):
    programme = Programme.objects.get(code="P000-CBEC")
    course = programme.courses.get(code="SP01")
    services.plan_save(course=course, components=PLAN)
    cohort = services.cohort_create(programme=programme, intake_year=2025, name="g")
    klass = SchoolClass.objects.create(cohort=cohort, name="G1")
    students = [Student.objects.create(number=f"G{i}", name=f"学生{i}", school_class=klass) for i in range(3)]
    comps = {c.code: c for c in course.assessment_components.all()}
    return programme, course, klass, students, comps


def grid_post(client, klass, course, values):
    data = {f"g-{s.pk}-{c.pk}": v for (s, c), v in values.items()}
    return client.post(f"/cohorts/classes/{klass.pk}/grades/{course.pk}/", data)


def platform_of(student):
    profile = selectors.student_profile(student, None)
    row = {c["code"]: c["value"] for c in profile["competencies"]}
    radar = dict(zip([i["name"] for i in profile["radar"]["indicators"]], profile["radar"]["student"], strict=True))
    return row["OPS.PLATFORM"], row["MKT.CONTENT"], radar["OPS.PLATFORM"]


def test_grid_entry_changes_attainment_and_radar_and_corrections_are_audited(client, role_users, setup):
    _programme, course, klass, (s0, s1, _s2), comps = setup
    client.force_login(role_users["teacher"])
    assert client.get(f"/cohorts/classes/{klass.pk}/grades/{course.pk}/").status_code == 200
    response = grid_post(client, klass, course, {(s0, comps["EXAM"]): "50", (s0, comps["OPS"]): "90"})
    assert response.status_code == 302
    # OPS.PLATFORM: both components (EXAM names nothing, OPS names it) -> (40*50 + 60*90) / 100 = 74 %.
    # MKT.CONTENT: only the general EXAM evidences it -> 50 %.
    assert platform_of(s0) == (74.0, 50.0, 74.0)

    grid_post(client, klass, course, {(s0, comps["OPS"]): "60"})  # a correction
    assert platform_of(s0) == (56.0, 50.0, 56.0)
    grade = Grade.objects.get(student=s0, component=comps["OPS"])
    entry = AuditLog.objects.filter(action=AuditLog.Action.UPDATE, object_type="cohorts.Grade", object_id=str(grade.pk))
    assert entry.count() == 1 and entry[0].before["score"] == "90.00" and entry[0].after["score"] == "60.00"
    assert entry[0].actor == role_users["teacher"]

    # A bad cell anywhere: nothing stored, the row and the column are named.
    response = grid_post(client, klass, course, {(s1, comps["EXAM"]): "70", (s0, comps["OPS"]): "120"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-row="1"' in html and 'data-field="OPS"' in html
    assert not Grade.objects.filter(student=s1).exists()
    assert Grade.objects.get(student=s0, component=comps["OPS"]).score == Decimal("60.00")


def test_a_graded_component_cannot_be_removed_from_the_plan(setup):
    _programme, course, _klass, (s0, *_), comps = setup
    Grade.objects.create(student=s0, component=comps["OPS"], score=70)
    with pytest.raises(CbecError) as info:
        services.plan_save(
            course=course, components=[{"code": "EXAM", "kind": "practical_task", "weight": 100, "competencies": []}]
        )
    assert any(p.field == "OPS" for p in info.value.problems)


def test_class_sheet_round_trip_and_a_malformed_sheet_is_refused_whole(client, role_users, setup):
    _programme, course, klass, (s0, s1, s2), comps = setup
    Grade.objects.create(student=s2, component=comps["EXAM"], score=Decimal("66.50"))
    client.force_login(role_users["teacher"])
    template = client.get(f"/cohorts/classes/{klass.pk}/grades/{course.pk}/template.xlsx")
    sheets = read_workbook(template.content)
    rows = sheets["G1"]
    assert [r[services.GRADE_NUMBER_H] for _n, r in rows] == ["G0", "G1", "G2"]
    assert rows[2][1]["EXAM"] == 66.5
    headers = [services.GRADE_NUMBER_H, services.GRADE_NAME_H, "EXAM", "OPS"]
    url = f"/cohorts/classes/{klass.pk}/grades/{course.pk}/import/"

    def upload(body):
        from cbec_talent.core.excel import SheetSpec

        data = write_workbook([(SheetSpec("G1", headers), body)])
        return client.post(url, {"file": SimpleUploadedFile("g.xlsx", data)})

    before = Grade.objects.count()
    bad = upload([("G0", "x", 80, 70), ("G1", "y", "abc", 90), ("NOPE", "z", 50, 50), ("G2", "w", 101, 10)])
    assert bad.status_code == 400
    problems = {(p.row, p.field) for p in bad.context["problems"]}
    assert {(3, "EXAM"), (4, services.GRADE_NUMBER_H), (5, "EXAM")} <= problems
    assert Grade.objects.count() == before

    good = upload([("G0", "x", 80, 70), ("G1", "y", 55.25, 90)])
    assert good.status_code == 302
    assert Grade.objects.get(student=s1, component=comps["EXAM"]).score == Decimal("55.25")
    assert Grade.objects.count() == before + 4


def test_figures_equal_a_hand_computation_exactly_on_this_database(setup):
    programme, course, klass, students, comps = setup
    scores = {("G0", "EXAM"): "87.25", ("G0", "OPS"): "91.75", ("G1", "EXAM"): "40.50", ("G2", "OPS"): "66.00"}
    for (number, code), v in scores.items():
        Grade.objects.create(student=Student.objects.get(number=number), component=comps[code], score=Decimal(v))
    fig = selectors.class_figures(klass)
    # The same records straight into the engine, without the database: identical arrays.
    records = [(n, "SP01", c, float(v)) for (n, c), v in scores.items()]
    direct = roll_up(scores_from_records(["G0", "G1", "G2"], fig.model, records, dtype=np.float64), fig.model)
    np.testing.assert_array_equal(fig.result.competency, direct.competency)
    j = fig.competencies.index("OPS.PLATFORM")
    # Hand: G0 (0.4*87.25 + 0.6*91.75)/100; G1 only EXAM present -> 40.5 %; G2 only OPS -> 66 %.
    assert fig.result.competency[0, j] == pytest.approx((0.4 * 87.25 + 0.6 * 91.75) / 100, abs=1e-12)
    assert fig.result.competency[1, j] == pytest.approx(0.405, abs=1e-12)
    assert fig.result.competency[2, j] == pytest.approx(0.66, abs=1e-12)
    rows = {r["code"]: r for r in selectors.programme_rows(fig)}
    expected = (0.4 * 87.25 + 0.6 * 91.75 + 40.5 + 66.0) / 3
    assert rows["OPS.PLATFORM"]["value"] == round(expected, 1) and rows["OPS.PLATFORM"]["assessed"] == 3


def test_cohort_pages_and_exports(client, role_users, setup):
    _programme, course, klass, (s0, *_), comps = setup
    Grade.objects.create(student=s0, component=comps["EXAM"], score=30)
    client.force_login(role_users["teacher"])
    page = client.get(f"/cohorts/{klass.cohort_id}/")
    assert page.status_code == 200
    assert [r["student"].number for r in page.context["risks"]] == ["G0"]
    assert 'id="attainment-heatmap-data"' in page.content.decode()
    explain = client.get(f"/cohorts/{klass.cohort_id}/explain/OPS.PLATFORM/")
    assert explain.status_code == 200 and "30.0%" in explain.content.decode()
    xlsx = client.get(f"/cohorts/{klass.cohort_id}/report.xlsx")
    sheets = read_workbook(xlsx.content)
    first_column = [next(iter(r.values())) for _n, r in sheets[list(sheets)[1]]]
    assert first_column == ["G0", "G1", "G2"]


def test_an_empty_cohort_shows_empty_reports(client, role_users, db):
    cohort = services.cohort_create(programme=Programme.objects.get(code="P000-CBEC"), intake_year=2031, name="空")
    client.force_login(role_users["director"])
    page = client.get(f"/cohorts/{cohort.pk}/")
    assert page.status_code == 200 and page.context["rows"] == [] and page.context["risks"] == []
    assert read_workbook(client.get(f"/cohorts/{cohort.pk}/report.xlsx").content)


def test_cohort_pdf_report_has_the_figures(client, role_users, setup):
    import shutil
    import subprocess

    from cbec_talent.core.pdf import cjk_font_available

    if not cjk_font_available() or not shutil.which("pdftotext"):
        pytest.skip("PDF check needs fonts-noto-cjk and poppler-utils (pdftotext)")
    _programme, _course, klass, (s0, *_), comps = setup
    Grade.objects.create(student=s0, component=comps["EXAM"], score=30)
    client.force_login(role_users["teacher"])
    response = client.get(f"/cohorts/{klass.cohort_id}/report.pdf")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = text.decode()
    assert "OPS.PLATFORM" in text and "30.0%" in text and "G0" in text
