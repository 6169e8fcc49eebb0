"""A programme director imports a small file of job postings in the browser: upload, map the columns, watch the
import finish, read the demand dashboard of that import, and open the gap report of the sample programme."""

from __future__ import annotations

import csv
import io
import re

import pytest

from .test_framework_pages import sign_in

pytestmark = pytest.mark.browser

# Invented postings (Chinese and English titles); "Details" is not a header the mapping can guess.
POSTINGS = [
    ("亚马逊运营专员（浏览器测试）", "负责亚马逊店铺运营和Listing优化，英语四级以上，能做销售数据分析。", "深圳"),
    ("Amazon Operations Specialist (browser test)", "Manage Amazon listings and PPC ads; fluent English.", "杭州"),
    ("外贸业务员（浏览器测试）", "开发海外客户，熟悉外贸流程、报价和跟单，英语口语流利。", "宁波"),
    ("Customer Service Executive (browser test)", "Answer buyer emails on eBay in English and Spanish.", "广州"),
    ("跨境电商美工（浏览器测试）", "负责产品主图和详情页设计，熟练使用Photoshop。", "义乌"),
]


def _csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["职位名称", "公司", "Details", "工作地点", "发布日期"])
    for title, text, city in POSTINGS:
        writer.writerow([title, "浏览器测试公司 Browser Test Ltd", text, city, "2025-05-12"])
    return out.getvalue().encode("utf-8")


def _count(text: str) -> int:
    return int(re.search(r"\d+", text).group())


def test_director_imports_postings_and_reads_dashboard_and_gap_report(page, demo_server):
    url = demo_server["url"]
    sign_in(page, url, "director")
    page.goto(url + "/demand/imports/")
    page.set_input_files(
        "#upload-form input[type='file']",
        files=[{"name": "browser-postings.csv", "mimeType": "text/csv", "buffer": _csv()}],
    )
    page.click("#upload-submit")
    page.wait_for_selector("#mapping-form")
    import_id = re.search(r"/imports/(\d+)/", page.url).group(1)
    # The guessed mapping found the Chinese headers; the description column is mapped by hand.
    assert page.input_value("#id_map_title") == "职位名称"
    assert page.input_value("#id_map_description") == ""
    page.select_option("#id_map_description", "Details")
    page.click("#mapping-submit")

    page.wait_for_selector("#import-progress[data-status='done']", timeout=60_000)
    assert page.get_attribute("#import-progress progress", "value") == "100"
    assert _count(page.inner_text("#import-counts td[data-count='read']")) == len(POSTINGS)
    assert _count(page.inner_text("#import-counts td[data-count='stored']")) == len(POSTINGS)
    assert _count(page.inner_text("#import-counts td[data-count='rejected']")) == 0

    page.goto(f"{url}/demand/?import={import_id}")
    page.wait_for_selector("#chart-competency[data-rendered='1'] canvas")
    assert _count(page.inner_text("#posting-count")) == len(POSTINGS)
    month = page.locator("#months tr[data-code='2025-05'] td").nth(2)
    assert _count(month.inner_text()) == len(POSTINGS)
    assert page.locator("#top-skills tr[data-code]").count() > 0
    top = page.locator("#top-skills tr[data-code]").first.locator("td").nth(2)
    assert 1 <= _count(top.inner_text()) <= len(POSTINGS)

    page.goto(f"{url}/demand/gap/?import={import_id}")
    option = page.locator("#gap-form select[name='programme'] option", has_text="P000-CBEC").first
    page.select_option("#gap-form select[name='programme']", option.get_attribute("value"))
    page.click("#gap-form button[type='submit']")
    page.wait_for_selector("#chart-gap[data-rendered='1'] canvas")
    assert "P000-CBEC" in page.locator("#gap-form select[name='programme'] option:checked").inner_text()
    assert page.locator("#gap-table tr[data-code]").count() > 0
    assert page.locator("#weights-json").inner_text().strip().startswith("{")
