"""A programme director edits a course and sees the allocation table and the validation update."""

from __future__ import annotations

import pytest

from .test_framework_pages import sign_in

pytestmark = pytest.mark.browser


def test_director_edits_a_course_and_sees_table_and_validation_update(page, demo_server):
    url = demo_server["url"]
    sign_in(page, url, "director")
    page.goto(url + "/programmes/")
    page.click("a[data-programme='P000-CBEC']")
    total = page.locator("#allocation-table tr[data-module='TOTAL']")
    assert total.locator("th").nth(1).inner_text() == "150"
    assert "62:38" in page.locator("#discrepancies").inner_text()
    page.wait_for_selector("#coverage-heatmap[data-rendered='1'] canvas")
    assert page.locator("#validation tr[data-rule='credits_total']").count() == 0

    page.click("a[data-course='SP01']")
    credits = float(page.input_value("#id_credits"))
    page.fill("#id_credits", f"{credits + 2:g}")
    page.click("#course-save")
    page.wait_for_selector("#allocation-table")
    assert total.locator("th").nth(1).inner_text() == "152"
    assert page.locator("#validation tr[data-rule='credits_total']").count() == 1
    assert "TOTAL.credits" in page.locator("#discrepancies").inner_text()
