"""A newcomer's walk: every role signs in, switches language, and opens the framework pages."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "Cbec-demo-2026"
ROLES = ["admin", "director", "teacher", "tutor", "student"]


def sign_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(url + "/")


@pytest.mark.parametrize("username", ROLES)
def test_each_role_signs_in_switches_language_and_browses(page, demo_server, username):
    url = demo_server["url"]
    sign_in(page, url, username)
    # Chinese by default, even though this browser asks for English.
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#current-user").inner_text()
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(url + "/frameworks/")
    page.locator("td a[data-framework='CBEC-REF']").click()
    assert page.locator("section.area").count() == 7
    page.wait_for_function("window.htmx !== undefined && document.readyState === 'complete'")
    page.fill("#competency-search", "customs")
    page.press("#competency-search", "Enter")
    page.wait_for_function("document.querySelectorAll('section.area').length === 1")
    assert "TRADE.CUSTOMS" in page.locator("#areas").inner_text()

    page.goto(page.url.split("?")[0].rstrip("/") + "/positions/")
    page.wait_for_selector("#heatmap[data-rendered='1'] canvas")
    assert page.locator("#position-table tr").count() >= 14
    page.get_by_role("link", name=re.compile("Web editor", re.I)).first.click()
    assert "POS.01" in page.locator("h1").inner_text()

    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.click("#logout")
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))


def test_director_imports_a_broken_file_and_sees_row_and_field(page, demo_server, tmp_path):
    url = demo_server["url"]
    sign_in(page, url, "director")
    bad = tmp_path / "broken.yaml"
    bad.write_text(
        "format: cbec-framework/1\nframework: {code: MINE, version: '1', name: {zh: 我的, en: Mine}}\n"
        "levels: [{code: aware, rank: 0, name: {zh: 了解, en: Aware}}]\nareas: []\n",
        encoding="utf-8",
    )
    page.goto(url + "/frameworks/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("#import-submit")
    text = page.locator("#import-problems").inner_text()
    assert "levels" in text and "rank" in text
