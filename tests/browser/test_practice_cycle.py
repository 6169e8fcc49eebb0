"""The whole practice cycle in the browser: a teacher opens a session, two student teams submit decisions for three
rounds, the leaderboard and debrief appear, and the final scores reach the assessment of a course."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .test_framework_pages import sign_in

pytestmark = pytest.mark.browser

LOOKUP = """
import django, json; django.setup()
from cbec_talent.cohorts.models import Student
from cbec_talent.programmes.models import Programme
s = Student.objects.get(user__username="student")
course = Programme.objects.get(code="P000-CBEC").courses.get(code="SP02")
sim = course.assessment_components.get(code="SIM")
from cbec_talent.practice.models import PracticeScore
scores = [p.score for p in PracticeScore.objects.filter(session__title="Browser cycle", student__username="student")]
expected = round(sum(scores) / len(scores), 2) if scores else None
ids = {"klass": s.school_class_id, "course": course.pk, "student": s.pk, "sim": sim.pk}
print(json.dumps({**ids, "expected": expected}))
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


def test_teacher_session_two_teams_three_rounds_scores_reach_assessment(page, demo_server):
    url = demo_server["url"]
    sign_in(page, url, "teacher")
    page.goto(url + "/practice/new/")
    page.fill("#id_title", "Browser cycle")
    page.select_option("#id_scenario", "first_store")
    page.fill("#id_seed", "4242")
    page.fill("#id_rounds", "3")
    page.fill("#id_round_hours", "24")
    page.fill("#id_teams", "Alpha: student\nBeta: student3")
    page.click("#session-save")
    page.wait_for_selector("#rounds-played")
    session_url = page.url

    for round_number in range(3):
        for username, team, price in (("student", "Alpha", "1.2"), ("student3", "Beta", "0.9")):
            page.context.clear_cookies()
            sign_in(page, url, username)
            page.goto(session_url)
            page.click(f"a[data-team='{team}']")
            page.locator("#product-decisions tr[data-sku] input").first.fill(price)
            page.click("#decision-save")
            page.wait_for_selector("#submitted-note")
        page.context.clear_cookies()
        sign_in(page, url, "teacher")
        page.goto(session_url)
        assert page.locator("#submissions tr[data-team='Alpha']").get_attribute("data-submitted") == "1"
        assert page.locator("#submissions tr[data-team='Beta']").get_attribute("data-submitted") == "1"
        page.click("#advance-round")
        page.wait_for_selector("#leaderboard")
        assert int(page.inner_text("#rounds-played")) == round_number + 1

    assert page.get_attribute("#session-status", "data-status") == "finished"
    assert page.locator("#leaderboard tr[data-team]").count() == 2
    page.click("a[data-debrief='Alpha']")
    page.wait_for_selector("#competency-scores tr[data-code='OPS.PLATFORM']")

    ids = _lookup(demo_server)
    page.goto(f"{url}/cohorts/classes/{ids['klass']}/grades/{ids['course']}/")
    page.select_option("#practice-scores-form select[name='component']", str(ids["sim"]))
    page.select_option("#practice-scores-form select[name='session']", label="Browser cycle")
    page.click("#practice-scores-take")
    page.wait_for_selector("#grade-grid")
    value = page.input_value(f"input[name='g-{ids['student']}-{ids['sim']}']")
    assert ids["expected"] is not None, "the finished session stored the students' competency scores"
    assert float(value) == pytest.approx(ids["expected"], abs=0.01)
