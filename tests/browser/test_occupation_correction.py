"""A programme director reads the occupation view of an import (major group -> detailed occupation), opens a
posting's occupation with its evidence, corrects the code, and sees the next import code the same title (under
other noise) with the correction."""

from __future__ import annotations

import csv
import io
import re

import pytest

from .test_framework_pages import sign_in

pytestmark = pytest.mark.browser

TITLE = "渠道主任（浏览器测试）"
NOISY = "急招渠道主任-广州（浏览器测试二）"
CODE = "4-01-06-02"  # 互联网营销师


def _rows(titles) -> bytes:
    lines = [f"{t},浏览器测试公司,深圳,2025-06-0{i + 1}" for i, t in enumerate(titles)]
    return ("职位名称,公司,工作地点,发布日期\n" + "\n".join(lines) + "\n").encode("utf-8")


def _like_the_demo_batch(title: str) -> bytes:
    """The demo's postings (under another company name, so none is a duplicate) and one posting titled ``title``:
    a later batch like the demo's first, so tests comparing the next import with this one see demo-like demand."""
    from cbec_talent.labour_market.demo import demo_csv

    rows = list(csv.reader(io.StringIO(demo_csv().decode("utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([row[0], row[1] + "（浏览器测试）", *row[2:]])
    writer.writerow([title, "浏览器测试公司", "", "广州", "", "2024-06-01", "示例"])
    return out.getvalue().encode("utf-8")


def _import(page, url, name, data: bytes) -> str:
    page.goto(url + "/demand/imports/")
    page.set_input_files(
        "#upload-form input[type='file']",
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}],
    )
    page.click("#upload-submit")
    page.wait_for_selector("#mapping-form")
    import_id = re.search(r"/imports/(\d+)/", page.url).group(1)
    page.click("#mapping-submit")
    page.wait_for_selector("#import-progress[data-status='done']", timeout=60_000)
    return import_id


def test_director_corrects_an_occupation_and_the_next_import_uses_it(page, demo_server):
    url = demo_server["url"]
    sign_in(page, url, "director")
    first = _import(page, url, "occupation-first.csv", _rows([TITLE, "跨境电商运营专员（浏览器测试）"]))

    # the occupation view of that import: major groups, each with its detailed occupations
    page.goto(url + f"/demand/occupations/?import={first}")
    assert "2" in page.inner_text("#occupation-summary")
    majors = page.locator("details.occupation-major")
    assert majors.count() >= 1
    assert re.fullmatch(r"\d-00-00-00", majors.first.get_attribute("data-code"))
    # find the posting's occupation: open each detailed occupation until the title is listed
    links = [a.get_attribute("href") for a in page.locator("details.occupation-major td.code a").all()]
    for href in links:
        page.goto(url + href)
        if page.locator("#occupation-postings tr[data-posting]", has_text=TITLE).count():
            break
    else:
        pytest.fail(f"{TITLE} is under none of {links}")
    old_code = re.search(r"/occupations/([\d-]+)/", page.url).group(1)
    assert old_code != CODE
    row = page.locator("#occupation-postings tr[data-posting]", has_text=TITLE)
    assert "cleaned: 渠道主任" in row.locator("td.evidence").inner_text()

    # the correction
    row.locator("input[name='code']").fill(CODE)
    row.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(rf"/demand/occupations/{CODE}/\?import={first}$"))
    assert CODE in page.inner_text(".messages")
    fixed = page.locator("#occupation-postings tr[data-posting]", has_text=TITLE)
    assert "correction: 渠道主任" in fixed.locator("td.evidence").inner_text()

    # the next import codes the same title, under other noise, with the correction
    second = _import(page, url, "occupation-second.csv", _like_the_demo_batch(NOISY))
    page.goto(url + f"/demand/occupations/{CODE}/?import={second}")
    again = page.locator("#occupation-postings tr[data-posting]", has_text=NOISY)
    assert again.count() == 1
    assert "correction: 渠道主任" in again.locator("td.evidence").inner_text()
    page.goto(url + f"/demand/occupations/?import={second}")
    assert page.locator(f"details.occupation-major tr[data-code='{CODE}']").count() == 1
