"""A framework's own keywords drive the tagger: editing them changes what is found."""

import pytest
import yaml

from cbec_talent.engines.demand import Posting, build_keyword_table, load_keyword_table, tag
from cbec_talent.engines.demand.table import REFERENCE_DIR

KEYWORDS = {
    "competencies": {"MKT.SALES": {"zh": ["开发客户"], "en": ["sales"]}},
    "positions": {"POS.06": {"zh": ["外贸业务员"], "en": ["sales representative"]}},
    "position_csco": {"POS.06": ["2-06-07-01"]},
}
POSTING = Posting(title="外贸业务员", text="负责开发客户，熟悉跨境支付和收款")


def test_keywords_found_as_written():
    r = tag(POSTING, build_keyword_table(KEYWORDS))
    assert r.competency_codes == ("MKT.SALES",)
    assert (r.position, r.csco[0]) == ("POS.06", "2-06-07-01")


def test_adding_a_keyword_adds_a_competency():
    edited = {**KEYWORDS, "competencies": {**KEYWORDS["competencies"], "TRADE.PAY": {"zh": ["跨境支付"], "en": []}}}
    r = tag(POSTING, build_keyword_table(edited))
    assert set(r.competency_codes) == {"MKT.SALES", "TRADE.PAY"}
    assert [h.evidence for h in r.competencies if h.code == "TRADE.PAY"] == [("跨境支付",)]


def test_removing_keywords_removes_findings():
    edited = {**KEYWORDS, "competencies": {"MKT.SALES": {"zh": [], "en": ["sales"]}}, "positions": {}}
    r = tag(POSTING, build_keyword_table(edited))
    assert r.competencies == () and r.position is None


def test_platform_vocabulary_can_be_overridden():
    edited = {**KEYWORDS, "platforms": {"ozon": {"zh": ["奥森"], "en": ["ozon"]}}}
    t = build_keyword_table(edited)
    assert [h.code for h in tag(Posting(text="Ozon 与 亚马逊"), t).platforms] == ["ozon"]


def test_framework_codes_restrict_and_order_the_table():
    t = build_keyword_table(
        {"competencies": {"A.ONE": ["alpha"], "B.TWO": ["beta"]}, "positions": {}},
        competency_codes=["B.TWO"],
    )
    assert t.codes("competency") == ("B.TWO",)
    assert tag(Posting(text="alpha beta"), t).competency_codes == ("B.TWO",)


def test_bad_section_is_reported():
    with pytest.raises(ValueError, match="competencies"):
        build_keyword_table({"competencies": ["not", "a", "mapping"]})
    with pytest.raises(ValueError, match="MKT.SALES"):
        build_keyword_table({"competencies": {"MKT.SALES": 3}})


def test_load_from_files_uses_the_reference_framework_for_codes_and_csco(tmp_path):
    (tmp_path / "keywords.yaml").write_text(
        yaml.safe_dump(
            {**KEYWORDS, "positions": {**KEYWORDS["positions"], "POS.99": {"zh": ["无此岗位"], "en": []}}},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    (tmp_path / "cbec_reference.yaml").write_text(
        yaml.safe_dump(
            {
                "framework": {"code": "MY-FW"},
                "areas": [{"code": "MKT", "competencies": [{"code": "MKT.SALES"}]}],
                "positions": [{"code": "POS.06", "csco": ["4-01-02-01"]}],
            }
        ),
        encoding="utf-8",
    )
    t = load_keyword_table(tmp_path / "keywords.yaml")
    assert t.framework == "MY-FW"
    assert t.codes("position") == ("POS.06",)
    assert t.position_csco["POS.06"] == ("4-01-02-01",)


def test_shipped_keywords_cover_every_framework_code():
    t = load_keyword_table()
    ref_path = REFERENCE_DIR / "cbec_reference.yaml"
    if not ref_path.exists():
        pytest.skip("cbec_reference.yaml not present")
    ref = yaml.safe_load(ref_path.read_text(encoding="utf-8"))
    comp = {c["code"] for a in ref["areas"] for c in a["competencies"]}
    pos = {p["code"] for p in ref["positions"]}
    assert set(t.codes("competency")) == comp
    assert set(t.codes("position")) == pos
    assert all(t.competencies[c] for c in comp) and all(t.positions[p] for p in pos)
    assert all(t.position_csco[p] for p in pos)
