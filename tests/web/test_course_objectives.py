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
from cbec_talent.cohorts.selectors import class_objectives
from cbec_talent.cohorts.services import objectives_save
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
        base,
        {
            "term": "2025-2026 学年第一学期",
            "measures_zh": "增加平台实操课时，加强客服训练。",
            "measures_en": "More platform practice hours.",
        },
    )
    first = class_objectives(klass, course)["student_rows"][0]
    pdf = client.get(base + "report.pdf?lang=zh-hans")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "课程目标达成情况分析报告" in text and "增加平台实操课时" in text and "CO1" in text
    assert "2025-2026 学年第一学期" in text  # the term
    assert first["student"].number in text and f"{first['values'][0]}%" in text  # the per-student table
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
    assert "2025-2026 学年第一学期" in texts
    student_table = doc.tables[-1]
    assert student_table.rows[1].cells[0].text.startswith(first["student"].number)
    assert student_table.rows[1].cells[1].text == f"{first['values'][0]:g}%"
    client.force_login(role_users["student"])
    assert client.get(base).status_code == 403 and client.get(base + "report.pdf").status_code == 403


def _editor_post(course, rows):
    """The define page's form: rows of (code, zh, en, competencies, requirements, target, {item: points})."""
    data = {}
    for n, (code, zh, en, comps, reqs, target, items) in enumerate(rows, start=1):
        data.update(
            {
                f"code_{n}": code,
                f"text_zh_{n}": zh,
                f"text_en_{n}": en,
                f"competencies_{n}": comps,
                f"requirements_{n}": reqs,
                f"target_percent_{n}": target,
            }
        )
        for c in course.assessment_components.all():
            data[f"points_{n}_{c.code}"] = items.get(c.code, "")
    return data


def test_the_director_and_the_courses_teacher_define_objectives_and_link_items(world, client, make_user):
    from cbec_talent.accounts.models import AuditLog, User
    from cbec_talent.faculty.demo import create_demo_data as faculty_demo

    klass, course = world
    faculty_demo()  # Teacher Li teaches SP01
    url = f"/cohorts/courses/{course.pk}/objectives/"
    other = make_user("other_teacher", "teacher")
    client.force_login(other)
    assert client.get(url).status_code == 403  # a teacher who does not teach SP01
    assert client.get(f"/cohorts/classes/{klass.pk}/objectives/{course.pk}/").status_code == 200  # but reads
    client.force_login(User.objects.get(username="student"))
    assert client.get(url).status_code == 403
    teacher = User.objects.get(username="teacher")
    client.force_login(teacher)
    page = client.get(url + f"?class={klass.pk}").content.decode()
    assert 'name="code_1" value="CO1"' in page and 'name="points_1_EXAM" value="40' in page
    rows = [
        ("CO1", "掌握平台规则。", "Know the rules.", "ops.platform", "GR1", "75", {"EXAM": "50"}),
        ("CO2", "能独立运营店铺。", "", "OPS.PLATFORM, OPS.SERVICE", "GR3，GR4", "70", {"OPS": "40", "TUTOR": "20"}),
        ("CO3", "具备数据分析能力。", "Analyse sales data.", "DATA.ANALYSIS", "GR5", "60", {"OPS": "10"}),
    ]
    response = client.post(url, {**_editor_post(course, rows), "class": str(klass.pk)})
    assert response.status_code == 302 and response["Location"].endswith(f"/objectives/{course.pk}/")
    objectives = list(course.objectives.order_by("order"))
    assert [o.code for o in objectives] == ["CO1", "CO2", "CO3"]
    assert objectives[0].competencies == ["OPS.PLATFORM"] and float(objectives[0].target_percent) == 75
    assert objectives[1].requirements == ["GR3", "GR4"]
    assert {link.component.code: float(link.weight) for link in objectives[1].links.all()} == {"OPS": 40, "TUTOR": 20}
    assert AuditLog.objects.filter(actor=teacher, action="update").exists()
    # the class page now computes CO3 from the OPS grades alone
    figures = class_objectives(klass, course)
    student = figures["students"][0]
    ops = float(Grade.objects.get(student=student, component__course=course, component__code="OPS").score)
    assert figures["objectives"][2].per_student[student.pk] == pytest.approx(round(ops, 1))


def test_bad_objectives_name_the_row_and_field_and_change_nothing(world, client):
    from cbec_talent.accounts.models import User

    klass, course = world
    client.force_login(User.objects.get(username="director"))
    rows = [
        ("CO1", "掌握平台规则。", "", "NOPE.X", "GR1", "70", {"EXAM": "50"}),
        ("CO1", "", "", "", "", "120", {"OPS": "-3"}),
    ]
    response = client.post(f"/cohorts/courses/{course.pk}/objectives/", _editor_post(course, rows))
    assert response.status_code == 200
    problems = {(p.row, p.field) for p in response.context["problems"]}
    assert problems == {(1, "competencies"), (2, "code"), (2, "text_zh"), (2, "target_percent"), (2, "items")}
    html = response.content.decode()
    assert "NOPE.X" in html and 'value="120"' in html  # what was typed stays in the form
    assert [o.code for o in course.objectives.order_by("order")] == ["CO1", "CO2"]  # the demo's, unchanged
    assert float(course.objectives.get(code="CO1").links.get(component__code="EXAM").weight) == 40
