"""Tagging: competencies with evidence, positions and CSCO, platforms, languages, boundaries, folding."""

import numpy as np
import pytest

from cbec_talent.engines.demand import (
    KeywordTable,
    Posting,
    build_keyword_table,
    load_keyword_table,
    tag,
    tag_batch,
    tag_columns,
)
from cbec_talent.engines.demand.data import KINDS
from cbec_talent.engines.demand.synth import generate_postings


@pytest.fixture(scope="module")
def table() -> KeywordTable:
    return load_keyword_table()


def small_table(**sections) -> KeywordTable:
    keywords = {"competencies": {}, "positions": {}}
    keywords.update(sections)
    return build_keyword_table(keywords)


def codes(hits):
    return {h.code for h in hits}


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("熟悉亚马逊平台", "amazon"),
        ("Amazon FBA", "amazon"),
        ("速卖通店铺", "aliexpress"),
        ("AliExpress store", "aliexpress"),
        ("虾皮运营", "shopee"),
        ("Shopee Malaysia", "shopee"),
        ("eBay 后台", "ebay"),
        ("敦煌网", "dhgate"),
        ("Lazada", "lazada"),
        ("TikTok Shop 美区", "tiktok_shop"),
        ("Temu 全托管", "temu"),
        ("独立站 Shopify", "independent_store"),
        ("阿里巴巴国际站", "alibaba"),
        ("sells on Wish and Etsy", "wish"),
    ],
)
def test_platforms_in_both_languages(table, text, platform):
    assert platform in codes(tag(Posting(text=text), table).platforms)


def test_common_word_platform_needs_a_capital(table):
    assert "wish" not in codes(tag(Posting(text="we wish you a good start"), table).platforms)
    assert "wish" in codes(tag(Posting(text="Listings on Wish"), table).platforms)


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("英语四级，会日语优先", {"en", "ja"}),
        ("Fluent English and Spanish", {"en", "es"}),
        ("精通俄语", {"ru"}),
        ("English + X: Arabic or Thai", {"en", "ar", "th"}),
        ("小语种优先", {"x"}),
        ("负责店铺运营", set()),
    ],
)
def test_foreign_languages(table, text, languages):
    assert codes(tag(Posting(text=text), table).languages) == languages


def test_latin_keywords_match_whole_words_only():
    t = small_table(competencies={"TECH.DESIGN": {"zh": ["美工"], "en": ["AI", "PS"]}})
    assert tag(Posting(text="please send an email, see the tips"), t).competencies == ()
    hit = tag(Posting(text="熟练使用AI和PS软件"), t).competencies
    assert [(h.code, h.evidence) for h in hit] == [("TECH.DESIGN", ("ai", "ps"))]
    assert codes(tag(Posting(text="AI/PS"), t).competencies) == {"TECH.DESIGN"}


def test_cjk_keywords_need_no_boundaries():
    t = small_table(competencies={"OPS.LOGISTICS": {"zh": ["物流"], "en": []}})
    assert codes(tag(Posting(text="负责国际物流跟踪"), t).competencies) == {"OPS.LOGISTICS"}


def test_english_plurals_are_found():
    t = small_table(competencies={"OPS.SUPPLY": {"zh": [], "en": ["supplier"]}})
    assert codes(tag(Posting(text="Manage suppliers in Yiwu"), t).competencies) == {"OPS.SUPPLY"}


def test_full_width_letters_fold_to_half_width(table):
    r = tag(Posting(text="ＥＮＧＬＩＳＨ良好，熟悉ＡＭＡＺＯＮ"), table)
    assert "LANG.EN" in codes(r.competencies)
    assert "amazon" in codes(r.platforms)


def test_evidence_is_the_matched_text(table):
    r = tag(Posting(text="具有良好的沟通能力，熟悉Facebook广告投放"), table)
    evidence = {h.code: h.evidence for h in r.competencies}
    assert "沟通能力" in evidence["GEN.TEAM"]
    assert "facebook" in evidence["MKT.ONLINE"]


@pytest.mark.parametrize(
    ("title", "position"),
    [
        ("外贸业务员", "POS.06"),
        ("外贸跟单员", "POS.07"),
        ("亚马逊运营专员", "POS.11"),
        ("Data Analyst", "POS.08"),
        ("报关员", "POS.18"),
        ("英语翻译", "POS.15"),
        ("行政前台", None),
    ],
)
def test_position_from_the_title(table, title, position):
    r = tag(Posting(title=title), table)
    assert r.position == position
    # the occupation is coded from the title whatever the position: ranked CSCO codes, best first
    assert 1 <= len(r.csco) <= 5 and all(c.count("-") == 3 for c in r.csco)
    assert r.csco == tuple(m.code for m in r.occupations)
    assert [m.score for m in r.occupations] == sorted((m.score for m in r.occupations), reverse=True)
    # without coding, csco falls back to the position's crosswalk
    plain = tag_batch([Posting(title=title)], table, coding=False)[0]
    assert plain.csco == (table.position_csco[position] if position else ())


def test_position_comes_from_the_title_not_the_description(table):
    r = tag(Posting(title="行政专员", text="协助外贸业务员处理客服邮件"), table)
    assert r.position is None


def test_longest_title_pattern_wins():
    t = small_table(positions={"POS.06": {"zh": ["外贸业务"], "en": []}, "POS.09": {"zh": ["外贸业务经理"], "en": []}})
    assert tag(Posting(title="外贸业务经理（欧美市场）"), t).position == "POS.09"
    assert tag(Posting(title="外贸业务（欧美市场）"), t).position == "POS.06"


def test_bare_text_first_line_is_the_title(table):
    r = tag_batch(["外贸跟单员\n英语四级，薪资6000-8000元/月"], table)[0]
    assert r.position == "POS.07"
    assert r.salary is not None and r.salary.low == 6000
    assert "LANG.EN" in codes(r.competencies)


def test_city_education_experience_and_month(table):
    r = tag(
        Posting(
            title="Amazon Operations Specialist",
            text="Bachelor's degree or above (大专亦可), 3+ years of experience. 月薪8k-12k",
            location="深圳-宝安区",
            posted="08-27",
        ),
        table,
        year=2019,
    )
    assert r.city == "深圳"
    assert r.education == "college"
    assert r.experience.min_years == 3
    assert (r.salary.low, r.salary.high) == (8000, 12000)
    assert r.month == "2019-08"
    assert tag(Posting(text="Office in Hangzhou"), table).city == "杭州"


def test_columnar_variant_agrees_with_full_results(table):
    postings = generate_postings(60, seed=7)
    postings.append(Posting(title="行政专员", text="no keywords here"))
    full = tag_batch(postings, table)
    cols = tag_columns(postings, table)
    assert cols.n_docs == len(postings)
    names = {k: table.codes(k) for k in KINDS}
    for i, r in enumerate(full):
        rows = cols.doc == i
        got = {(KINDS[k], names[KINDS[k]][c]) for k, c in zip(cols.kind[rows], cols.code[rows], strict=True)}
        want = {("competency", c) for c in r.competency_codes} | {("platform", h.code) for h in r.platforms}
        want |= {("language", h.code) for h in r.languages}
        assert {g for g in got if g[0] in ("competency", "platform", "language")} == want
        pos = cols.position[i]
        assert (names["position"][pos] if pos >= 0 else None) == r.position
    assert np.all(np.diff(cols.doc) >= 0)


def test_empty_batch(table):
    assert tag_batch([], table) == []
    assert tag_columns([], table).n_docs == 0


@pytest.mark.parametrize(
    ("location", "city"),
    [
        ("深圳-宝安区", "深圳"),
        ("Shenzhen", "深圳"),
        ("昆明市", "昆明"),
        ("三亚市", "三亚"),
        ("异地招聘", None),
        ("", None),
    ],
)
def test_city_from_the_location_field(table, location, city):
    assert tag(Posting(title="外贸业务员", location=location), table).city == city


def test_chunked_batches_give_the_same_results(table, monkeypatch):
    import cbec_talent.engines.demand.tagger as tagger

    postings = generate_postings(25, seed=3)
    whole_cols, whole = tag_columns(postings, table), tag_batch(postings, table)
    monkeypatch.setattr(tagger, "CHUNK", 7)
    cols = tag_columns(postings, table)
    assert cols.n_docs == whole_cols.n_docs == 25
    for name in ("doc", "kind", "code", "position"):
        assert np.array_equal(getattr(cols, name), getattr(whole_cols, name))
    assert tag_batch(postings, table) == whole
