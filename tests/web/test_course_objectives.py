"""Course objectives (课程目标): objectives linked to competencies and graduation requirements, assessment items
linked to objectives with points, attainment per class and student from the grades, the teacher's measures, and
the report as PDF (Chinese text checked with pdftotext) and Word, in Chinese and English."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from cbec_talent.cohorts import demo as cohorts_demo
from cbec_talent.cohorts.models import Grade, SchoolClass
from cbec_talent.cohorts.objectives import class_objectives, objectives_save
from cbec_talent.core.errors import CbecError
from cbec_talent.demo import create_demo_users


@pytest.fixture
def world(db, reference):
    create_demo_users()
    cohort = cohorts_demo.create_demo_data()
    klass = SchoolClass.objects.get(cohort=cohort)
    course = cohort.programme.courses.get(code="SP01")
    return klass, course


def test_attainment_is_points_earned_over_points_possible(world):
    klass, course = world
    figures = class_objectives(klass, course)
    co1 = figures["objectives"][0]
    student = figures["students"][0]
    grades = {g.component.code: float(g.score) for g in Grade.objects.filter(student=student, component__course=course)}
    expected = (40 * grades["EXAM"] + 10 * grades["OPS"]) / (50 * 100) * 100
    assert co1.per_student[student.pk] == pytest.approx(round(expected, 1))
    values = [v for v in co1.per_student.values() if v is not None]
    assert co1.value == pytest.approx(round(sum(values) / len(values), 1)) and co1.students == 12
    # the sixth student has no enterprise-tutor grade: CO2 counts OPS alone for them
    sixth = figures["students"][5]
    co2 = figures["objectives"][1]
    g6 = {g.component.code: float(g.score) for g in Grade.objects.filter(student=sixth, component__course=course)}
    assert "TUTOR" not in g6 and co2.per_student[sixth.pk] == pytest.approx(round(g6["OPS"], 1))


def test_objectives_save_names_the_objective_and_field(world):
    _klass, course = world
    with pytest.raises(CbecError) as err:
        objectives_save(course=course, objectives=[{"code": "X", "text_zh": "", "items": {"NOPE": 5}}])
    fields = {(p.row, p.field) for p in err.value.problems}
    assert fields == {(1, "text_zh"), (1, "items")}
    assert course.objectives.count() == 2  # nothing changed


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
def test_report_pdf_and_word_in_both_languages(world, client, role_users, tmp_path):
    from cbec_talent.core.pdf import cjk_font_available

    if not cjk_font_available():
        pytest.skip("no CJK font (fonts-noto-cjk)")
    klass, course = world
    client.force_login(role_users["teacher"])
    base = f"/cohorts/classes/{klass.pk}/objectives/{course.pk}/"
    assert client.get(base).status_code == 200
    client.post(
        base, {"measures_zh": "增加平台实操课时，加强客服训练。", "measures_en": "More platform practice hours."}
    )
    pdf = client.get(base + "report.pdf?lang=zh-hans")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "课程目标达成情况分析报告" in text and "增加平台实操课时" in text and "CO1" in text
    en = client.get(base + "report.pdf?lang=en")
    path.write_bytes(en.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Course objective attainment report" in text and "More platform practice hours" in text

    from docx import Document

    word = client.get(base + "report.docx?lang=zh-hans")
    doc = Document(io.BytesIO(word.content))
    texts = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "课程目标达成情况分析报告" in texts and "增加平台实操课时" in texts and "GR4" in texts
    client.force_login(role_users["student"])
    assert client.get(base).status_code == 403 and client.get(base + "report.pdf").status_code == 403
