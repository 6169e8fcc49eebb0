"""The grade grid in the browser: a teacher changes the demo student's scores of a course and saves, the student's
radar data follows, the cohort report downloads as Excel, and a malformed grade sheet is refused with row and
column named while the grid stays as it was."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from openpyxl import Workbook

from .test_framework_pages import sign_in

pytestmark = pytest.mark.browser

# Picks a demo course with a plan whose supported competencies appear on the student's default radar.
LOOKUP = """
import django, json; django.setup()
from cbec_talent.cohorts import selectors, services
from cbec_talent.cohorts.demo import PLANS
from cbec_talent.cohorts.models import Student
s = Student.objects.select_related("school_class__cohort__programme").get(user__username="student")
programme = s.school_class.cohort.programme
positions = selectors.programme_positions(programme)
radar = selectors.student_profile(s, positions[0] if positions else None)["radar"]
shown = {i["name"] for i in radar["indicators"]}
course = next(c for c in programme.courses.filter(code__in=PLANS).order_by("order") if shown & set(c.supports))
parts = list(course.assessment_components.order_by("order", "id"))
print(json.dumps({
    "student": s.pk, "number": s.number, "klass": s.school_class_id, "cohort": s.school_class.cohort_id,
    "course": course.pk, "components": [c.pk for c in parts], "codes": [c.code for c in parts],
    "supported": sorted(shown & set(course.supports)), "sheet": services.grade_sheet_name(s.school_class),
}))
"""


def _lookup(demo_server) -> dict:
    env = {
        **os.environ,
        "CBEC_VAR_DIR": str(demo_server["log"].parent),
        "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.dev",
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", LOOKUP],
        env=env,
        cwd=demo_server["log"].parent,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _radar(page, url, student) -> dict:
    page.goto(f"{url}/cohorts/students/{student}/")
    page.wait_for_selector("#student-radar[data-rendered='1']")
    data = json.loads(page.text_content("#student-radar-data"))
    return dict(zip([i["name"] for i in data["indicators"]], data["student"], strict=True))


def _grid(page, ids) -> list[str]:
    return [page.input_value(f"input[name='g-{ids['student']}-{c}']") for c in ids["components"]]


def _bad_sheet(ids) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = ids["sheet"]
    ws.append(["学号 Student number", "姓名 Name", *ids["codes"]])
    ws.append([ids["number"], "x", "abc", *[50] * (len(ids["codes"]) - 1)])  # row 2: text in a score cell
    ws.append(["NOPE-0000", "y", *[60] * len(ids["codes"])])  # row 3: unknown student number
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_teacher_changes_grades_radar_follows_report_downloads_bad_sheet_refused(page, demo_server, tmp_path):
    url = demo_server["url"]
    ids = _lookup(demo_server)
    sign_in(page, url, "teacher")
    before = _radar(page, url, ids["student"])
    assert ids["supported"] and all(before[c] > 0 for c in ids["supported"]), "the student has grades there"

    grid_url = f"{url}/cohorts/classes/{ids['klass']}/grades/{ids['course']}/"
    page.goto(grid_url)
    for comp in ids["components"]:
        page.fill(f"input[name='g-{ids['student']}-{comp}']", "0")
    with page.expect_navigation():
        page.click("#grades-save")
    saved = _grid(page, ids)
    assert [float(v) for v in saved] == [0.0] * len(ids["components"])

    after = _radar(page, url, ids["student"])
    assert after != before
    assert all(after[c] < before[c] for c in ids["supported"])

    page.goto(f"{url}/cohorts/{ids['cohort']}/")
    with page.expect_download() as info:
        page.click("#export-xlsx")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".xlsx" and target.stat().st_size > 0 and target.read_bytes()[:2] == b"PK"

    page.goto(grid_url)
    page.set_input_files(
        "#grade-import-form input[type='file']",
        files=[
            {
                "name": "bad.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": _bad_sheet(ids),
            }
        ],
    )
    page.click("#grade-import-form button[type='submit']")
    page.wait_for_selector("#problems")
    assert page.locator(f"#problems li[data-row='2'][data-field='{ids['codes'][0]}']").count() == 1
    assert "abc" in page.inner_text(f"#problems li[data-row='2'][data-field='{ids['codes'][0]}']")
    unknown = page.locator("#problems li[data-row='3'][data-field='学号 Student number']")
    assert unknown.count() == 1 and "NOPE-0000" in unknown.inner_text()
    page.goto(grid_url)
    assert _grid(page, ids) == saved
    assert _radar(page, url, ids["student"]) == after
