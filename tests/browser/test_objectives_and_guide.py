"""In the browser, on the demo college: the course's teacher defines a new course objective and links an
assessment item to it (the class page computes it at once); the director's workbench offers the first-run
guide, which ticks the gap report once read and stays hidden once dismissed."""

from __future__ import annotations

import pytest

from .test_framework_pages import sign_in

pytestmark = pytest.mark.browser


def test_objective_defined_by_the_courses_teacher(page, demo_server):
    url = demo_server["url"]
    sign_in(page, url, "teacher")
    page.goto(url + "/cohorts/")
    page.locator("a[href^='/cohorts/']").filter(has_text="跨境电商 2024 级").first.click()
    page.locator("#classes a").first.click()
    page.click("a[data-objectives='SP01']")
    page.click("#objectives-define")
    editor = page.locator("#objective-editor")
    assert editor.locator("input[name='code_1']").input_value() == "CO1"
    row = editor.locator("tr[data-row='3']")  # the first empty row
    row.locator("input[name='code_3']").fill("CO3")
    row.locator("textarea[name='text_zh_3']").fill("能用数据分析改进店铺运营。")
    row.locator("input[name='competencies_3']").fill("DATA.ANALYSIS")
    row.locator("input[name='requirements_3']").fill("GR5")
    row.locator("input[name='points_3_OPS']").fill("10")
    page.click("#objectives-save")
    page.wait_for_selector("#objectives tr[data-objective='CO3']")
    co3 = page.locator("#objectives tr[data-objective='CO3']")
    assert "DATA.ANALYSIS" in co3.inner_text() and "GR5" in co3.inner_text()
    assert float(co3.get_attribute("data-value")) > 0  # computed from the OPS grades
    assert page.locator("#objective-students th").filter(has_text="CO3").count() == 1
    # a typo names the objective and the field, and nothing is saved
    page.click("#objectives-define")
    page.locator("input[name='competencies_3']").fill("DATA.ANALYSIS, NOPE.X")
    page.click("#objectives-save")
    problem = page.locator("#objective-problems li[data-row='3'][data-field='competencies']")
    assert "NOPE.X" in problem.inner_text()


def test_director_workbench_first_run_guide(page, demo_server):
    url = demo_server["url"]
    sign_in(page, url, "director")
    guide = page.locator("#guide-first_run")
    assert guide.is_visible() and "初次使用" in guide.inner_text()
    assert guide.locator("li[data-step]").count() == 4
    guide.locator("li[data-step='gap'] a").click()
    page.wait_for_url("**/demand/gap/**")
    page.goto(url + "/")
    assert page.locator("#guide-first_run li[data-step='gap']").get_attribute("data-done") == "1"
    page.click("#guide-dismiss")
    page.wait_for_url(url + "/")
    assert page.locator("#guide-first_run").count() == 0
    assert page.locator("#workbench-director").is_visible()
    page.context.clear_cookies()
    sign_in(page, url, "director")  # a later sign-in: still hidden
    assert page.locator("#guide-first_run").count() == 0
