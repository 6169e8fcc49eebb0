"""Chinese by default; English one switch away; reference data and error messages in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from cbec_talent.competencies.document import validate_document
from cbec_talent.core.errors import CbecError

PO = Path(__file__).resolve().parents[2] / "cbec_talent" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_new_visitors_get_chinese_even_when_the_browser_asks_for_english(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html and "登录" in html


def test_switching_to_english_and_back(client, role_users, reference):
    client.force_login(role_users["teacher"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/frameworks/{reference.pk}/").content.decode()
    assert '<html lang="en">' in html
    assert "Business English" in html and "Competency frameworks" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = client.get(f"/frameworks/{reference.pk}/").content.decode()
    assert "能力框架" in html and "商务英语" in html


def test_search_finds_competencies_in_both_languages(client, role_users, reference):
    client.force_login(role_users["student"])
    for query in ("报关", "customs"):
        areas = client.get(f"/frameworks/{reference.pk}/?q={query}").context["areas"]
        codes = [c.code for a in areas for c in a.shown]
        assert "TRADE.CUSTOMS" in codes, query


def test_import_errors_come_in_the_users_language():
    doc = {"framework": {"code": "1bad"}, "levels": []}
    with translation.override("en"):
        english = [str(p.message) for p in validate_document(doc)]
    with translation.override("zh-hans"):
        chinese = [str(p.message) for p in validate_document(doc)]
    assert len(english) == len(chinese) > 2
    assert all(not re.search(r"[\u4e00-\u9fff]", m) for m in english)
    assert all(re.search(r"[\u4e00-\u9fff]", m) for m in chinese)
    assert isinstance(CbecError(validate_document(doc)), CbecError)


def test_every_catalog_entry_is_translated():
    text = PO.read_text(encoding="utf-8")
    entries = re.findall(r'msgid "(.*?)"\nmsgstr "(.*?)"\n', text)
    assert len(entries) > 150
    untranslated = [m for m, s in entries if m and not s]
    assert not untranslated, untranslated[:10]
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]
    ids = [m for m, _s in entries if m]
    assert len(ids) == len(set(ids)), "duplicate msgids in the catalogue"
