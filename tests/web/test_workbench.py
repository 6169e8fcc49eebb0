"""The home page's workbenches, one per role, against the demo college: what is due and how it is going, read
from the stored records; the framework and taxonomy counts are gone; a bounded number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cbec_talent.accounts.models import User
from cbec_talent.certification import demo as certification_demo
from cbec_talent.cohorts import demo as cohorts_demo
from cbec_talent.demo import create_demo_users
from cbec_talent.faculty import demo as faculty_demo
from cbec_talent.partnerships import demo as partnerships_demo
from cbec_talent.practice import demo as practice_demo


@pytest.fixture
def demo(db, reference):
    create_demo_users()
    practice_demo.create_demo_data()
    cohorts_demo.create_demo_data()
    partnerships_demo.create_demo_data()
    certification_demo.create_demo_data()
    faculty_demo.create_demo_data()


def _home(client, username, lang="en"):
    client.force_login(User.objects.get(username=username))
    client.post("/i18n/setlang/", {"language": lang})
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _items(html, panel):
    block = re.search(rf'data-panel="{panel}"(.*?)</ul>', html, re.S)
    assert block, f"panel {panel} is missing"
    return re.findall(r'data-item="([^"]+)"', block.group(1))


def test_student_workbench_shows_decisions_grades_gaps_internship_audit_and_stage(client, demo):
    html, queries = _home(client, "student")
    assert 'data-workbench="student"' in html
    assert "Competencies in the reference framework" not in html and "20240001" not in html.split("<h1>")[1][:200]
    decisions = _items(html, "decisions_due")
    assert len(decisions) == 1 and "decisions due by" in html
    # the demo login (20240001) graduates: a grade in every course, nothing missing, every stage open
    grades = _items(html, "my_grades")
    assert len(grades) == 56 and {"course:SP01", "course:SP02", "course:SP05", "course:SP07"} <= set(grades)
    assert "not graded yet" not in html.split('data-panel="my_grades"')[1].split("</ul>")[0]
    assert _items(html, "my_internship") == ["internship:not-started"]
    assert _items(html, "my_graduation") == []
    assert 'data-figure="my_graduation">passed<' in html
    gates = _items(html, "my_stage")
    assert gates[0] == "gate:theory:open" and gates[1] == "gate:cognitive:open"
    assert queries < 80

    # "student2" (20240004, weak): gaps against the position, credits and practice missing, cognitive closed
    html, queries = _home(client, "student2")
    assert any(item.startswith("gap:") for item in _items(html, "my_attainment"))
    missing = _items(html, "my_graduation")
    assert "missing:total" in missing and "missing:practice" in missing
    gates = _items(html, "my_stage")
    assert gates[0] == "gate:theory:open" and gates[1] == "gate:cognitive:closed"
    assert queries < 80


def test_teacher_workbench_grades_to_enter_sessions_and_risks(client, demo):
    html, queries = _home(client, "teacher")
    # the demo's sixth student has no enterprise-tutor grade in SP01 (the teacher's course)
    assert len(_items(html, "grades_to_enter")) == 1
    assert len(_items(html, "sessions_to_advance")) == 1
    risks = _items(html, "students_at_risk")
    assert risks and all(r.endswith(":SP01") for r in risks)
    assert queries < 80


def test_tutor_workbench_interns_logs_and_applicants(client, demo):
    html, queries = _home(client, "tutor")
    assert _items(html, "interns_to_evaluate") == ["evaluate:20240001"]
    assert _items(html, "logs_to_comment") == []
    assert len(_items(html, "applicants_to_rank")) == 2
    assert 'data-workbench="student"' not in html and 'data-workbench="director"' not in html
    assert queries < 40


def test_director_workbench_findings_agreements_and_audit(client, demo):
    html, queries = _home(client, "director")
    assert html.index('data-workbench="director"') < html.index('data-workbench="teacher"')
    assert any(i.startswith("programme:P000-CBEC") for i in _items(html, "programme_findings"))
    assert len(_items(html, "agreements_expiring")) == 1
    audit = _items(html, "graduation_audit")
    assert len(audit) == 1 and audit[0].endswith(":1:12")  # 20240001 passes
    assert "Occupation classification entries" not in html
    assert queries < 80


def test_workbench_queries_do_not_grow_with_sessions(client, demo):
    from cbec_talent.practice.services import session_create

    _html, before = _home(client, "student")
    teacher = User.objects.get(username="teacher")
    for n in range(3):
        session_create(
            title=f"extra {n}",
            scenario="first_store",
            seed=n,
            rounds=3,
            round_hours=24,
            teams=[("A", ["student"]), ("B", ["student3"])],
            actor=teacher,
        )
    html, after = _home(client, "student")
    assert len(_items(html, "decisions_due")) == 4
    assert after == before


def test_workbench_in_chinese(client, demo):
    html, _queries = _home(client, "student", "zh-hans")
    assert "五位一体" in html or "阶段" in html
