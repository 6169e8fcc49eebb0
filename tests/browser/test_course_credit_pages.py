"""学分认定 in the browser: the director records a 1+X certificate for a demo student, credits it against the course
that prepares its data-analysis module, approves, and sees the graduation audit change."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .test_framework_pages import sign_in

pytestmark = pytest.mark.browser

NUMBER = "20240005"
LOOKUP = f"""
import django, json; django.setup()
from cbec_talent.cohorts.models import Student
s = Student.objects.get(number="{NUMBER}")
print(json.dumps({{"student": s.pk, "programme": s.school_class.cohort.programme_id}}))
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


def _sp_earned(page) -> float:
    return float(page.locator("#audit-result ~ table tr[data-module='SP'] td").nth(1).inner_text())


def test_director_credits_a_certificate_and_the_audit_changes(page, demo_server):
    url = demo_server["url"]
    ids = _lookup(demo_server)
    sign_in(page, url, "director")

    page.goto(f"{url}/programmes/{ids['programme']}/")
    assert page.locator("#certificate-coverage tr[data-certificate='1X.B2C-DATA']").count() == 1

    audit_url = f"{url}/certificates/students/{ids['student']}/"
    page.goto(audit_url)
    before = _sp_earned(page)
    assert page.locator("#audit-missing li[data-code='module:SP']").count() == 1
    assert page.locator("tr[data-course='SP06'][data-credited='1']").count() == 0

    page.click("#certificate-new")
    value = page.locator("#id_catalogue option", has_text="1X.B2C-DATA").get_attribute("value")
    page.select_option("#id_catalogue", value)
    page.fill("#id_level", "中级")
    page.fill("#id_obtained", "2026-06-01")
    page.fill("#id_evidence", "X-2026-B2C-0005")
    page.click("#certificate-form button[type=submit]")
    page.wait_for_url(audit_url)

    form = page.locator("form.credit-request").filter(has_text="1X.B2C-DATA")
    course = form.locator("select[name=course] option", has_text="SP06").get_attribute("value")
    form.locator("select[name=course]").select_option(course)
    form.locator("button[type=submit]").click()
    page.wait_for_url(audit_url)
    assert page.locator("#course-credits tr[data-course='SP06']").get_attribute("data-status") == "pending"
    assert _sp_earned(page) == before  # not counted before approval

    page.click("#approve-SP06")
    page.wait_for_url(audit_url)
    assert page.locator("#course-credits tr[data-course='SP06']").get_attribute("data-status") == "approved"
    assert page.locator("tr[data-course='SP06'][data-credited='1']").count() == 1
    assert _sp_earned(page) == before + 3
