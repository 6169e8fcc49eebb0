"""A student submits the team's decisions, the teacher advances the round and reads leaderboard and charts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .test_framework_pages import sign_in

pytestmark = pytest.mark.browser

CREATE = "import django; django.setup(); from cbec_talent.practice.demo import create_demo_data; create_demo_data()"


@pytest.fixture(scope="module")
def practice_demo(demo_server):
    """The practice demo session in the demo server's database (idempotent if the demo already made it)."""
    env = {
        **os.environ,
        "CBEC_VAR_DIR": str(demo_server["log"].parent),
        "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.dev",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", CREATE], env=env, check=True, cwd=demo_server["log"].parent, timeout=120)
    return demo_server


def test_student_submits_teacher_advances_and_sees_leaderboard_and_charts(page, practice_demo):
    url = practice_demo["url"]
    sign_in(page, url, "student")
    page.goto(url + "/practice/")
    page.click("#sessions td a:has-text('First store practice (demo)')")  # other tests may add newer sessions
    page.click("a[data-team='Team A']")
    team_url = page.url
    first_price = page.locator("#product-decisions tr[data-sku] input").first
    first_price.fill("1.3")
    page.click("#decision-save")
    page.wait_for_selector("#submitted-note")
    assert page.locator("#product-decisions tr[data-sku] input").first.input_value() == "1.3"
    page.wait_for_selector("#chart-revenue[data-rendered='1'] canvas")

    page.context.clear_cookies()
    sign_in(page, url, "student3")
    assert page.goto(team_url).status == 403

    page.context.clear_cookies()
    sign_in(page, url, "teacher")
    page.goto(url + "/practice/")
    page.click("#sessions td a:has-text('First store practice (demo)')")
    assert page.locator("#submissions tr[data-team='Team A']").get_attribute("data-submitted") == "1"
    played = int(page.inner_text("#rounds-played"))
    page.click("#advance-round")
    page.wait_for_selector("#leaderboard")
    assert int(page.inner_text("#rounds-played")) == played + 1
    assert page.locator("#leaderboard tr[data-team]").count() == 2
    for kpi in ("revenue", "margin", "cash", "rating"):
        page.wait_for_selector(f"#chart-{kpi}[data-rendered='1'] canvas")
    page.click("a[data-debrief='Team A']")
    page.wait_for_selector("#competency-scores tr[data-code='OPS.PLATFORM']")
