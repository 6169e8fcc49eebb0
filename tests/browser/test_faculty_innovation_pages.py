"""Teacher development and the creating space in a real browser, on the data `cbec-talent demo` creates
(cbec_talent/faculty/demo.py, cbec_talent/innovation/demo.py): the director reads the practice-hours chart,
a teacher's dual-qualified status and the ledger as Excel (Chinese, the default); the student finds their
team; the director reads the awards chart and a competition's result (English, via the header form)."""

from __future__ import annotations

import openpyxl
import pytest

from .test_framework_pages import sign_in

pytestmark = pytest.mark.browser

PROJECT = "速卖通店铺孵化 AliExpress store incubation"
TEAM = "出海先锋 Going-global pioneers"
COMPETITION = "跨境电商创新创业大赛 CBEC Innovation and Entrepreneurship Competition"
QUALIFICATION = "跨境电子商务师 Cross-border e-commerce engineer"  # T002's relevant vocational qualification


def test_director_reads_practice_chart_dual_status_and_exports_the_ledger(page, demo_server, tmp_path):
    url = demo_server["url"]
    sign_in(page, url, "director")
    page.goto(url + "/faculty/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # the chart of enterprise practice hours per year is drawn (T001 and T003 practised in enterprises)
    page.wait_for_selector("#chart-practice[data-rendered='1'] canvas")
    assert page.locator("#practice-years td[data-year]").count() >= 2
    # T002 holds a relevant vocational qualification; T004 has neither qualification nor practice
    assert page.locator("#teachers tr[data-teacher='T002']").get_attribute("data-dual") == "yes"
    assert page.locator("#teachers tr[data-teacher='T004']").get_attribute("data-dual") == "no"

    page.click("#teachers tr[data-teacher='T002'] a")
    page.wait_for_selector("#dual-status")
    assert "T002" in page.inner_text("h1")
    assert page.get_attribute("#dual-status", "data-dual") == "yes"
    assert QUALIFICATION in page.inner_text("#dual-reason")  # the reason names the qualification that counts

    page.goto(url + "/faculty/")
    with page.expect_download() as info:
        page.click("#export-link")
    download = info.value
    assert download.suggested_filename == "teacher-ledger.xlsx"
    download.save_as(tmp_path / "ledger.xlsx")
    book = openpyxl.load_workbook(tmp_path / "ledger.xlsx", read_only=True)
    summary = {row[0]: row for row in book.worksheets[0].iter_rows(min_row=2, values_only=True) if row[0]}
    assert {"T001", "T002", "T004", "E001"} <= set(summary)
    assert "李老师 Teacher Li" in summary["T001"]
    assert QUALIFICATION in summary["T002"][-1]  # the dual-qualified reason, as on the page
    assert len(book.worksheets) == 4  # summary, training, enterprise practice, qualifications
    book.close()


def test_student_sees_own_team_and_director_reads_awards_and_competition(page, demo_server):
    url = demo_server["url"]
    sign_in(page, url, "student")
    page.goto(url + "/creating-space/")
    page.click(f"#projects tr[data-project='{PROJECT}'] a")
    team = page.locator(f"section.team[data-team='{TEAM}']")
    team.wait_for()
    # the demo student (number 20240001) is on the team and may leave it; classmates' levels stay hidden
    assert team.locator("tr[data-student='20240001']").count() == 1
    assert team.locator("button[id^='leave-']").count() == 1
    assert team.locator("table.coverage th.code").count() == 0

    page.context.clear_cookies()
    sign_in(page, url, "director")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(url + "/creating-space/")
    page.wait_for_selector("#awards-chart[data-rendered='1'] canvas")
    assert int(page.inner_text("#figures [data-card='awards'] .value")) >= 1
    page.click("#competitions-link")
    page.click(f"#competitions tr[data-competition='{COMPETITION}'] a")
    entry = page.locator(f"#entries tr[data-team='{TEAM}']")
    entry.wait_for()
    assert entry.locator("td.award").inner_text().strip() == "Second prize"
    assert entry.locator("select[name$='-award']").input_value() == "second"
    assert page.locator("#results-export").count() == 1
