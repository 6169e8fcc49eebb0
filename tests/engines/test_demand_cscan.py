"""The C extension (_acscan) gives exactly what the pure-Python path gives: the scan (against ahocorasick-rs),
the prepared batch (against str.lower/encode), the grouping (against the numpy version) and whole tag results."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_talent.engines.demand import (
    Posting,
    build_keyword_table,
    load_keyword_table,
    matcher,
    tag_batch,
    tag_columns,
    tagger,
)
from cbec_talent.engines.demand.evaluate import load_competency_set, load_position_set
from cbec_talent.engines.demand.synth import generate_postings

acscan = pytest.importorskip(
    "cbec_talent.engines.demand._acscan",
    reason="the C extension is not built (no C compiler at install); the ahocorasick-rs path is tested elsewhere",
)

EDGE_CASES = [
    Posting(),
    Posting(title="亚马逊运营\r\n专员", text="\x00x"),
    Posting(text="we wish you luck; sells on Wish; WISH; 本科 大专 硕士; 深圳 广州; 月薪1-1.5万; 经验3年"),
    Posting(title="AMAZON运营", text="Ｅｎｇｌｉｓｈ ＦＢＡ ５０００元/月 ＷＩＳＨ Ｗish"),
    Posting(text="KELVIN \u212a and \u0130stanbul, AMAZON, ÉCOLE, ΣΟΦΙΑ, salary: USD 3,000 per month"),
    Posting(title="Shopee Customer Service", text="3-5 years of experience, 50-60年经验, at least 2", posted="03-05"),
    Posting(title="emails", text="ai, AI-driven, email, tiktok shop\ntiktokshop 𝐀𝐦𝐚𝐳𝐨𝐧 😀 亚马逊"),
]


def test_the_extension_is_built_where_a_compiler_is():
    """Where the machine can compile it, it must have been built: without it tagging is about twice as slow."""
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler on this machine")
    assert matcher._CAutomaton is not None and tagger._group_hits is not None


@pytest.fixture(scope="module")
def table():
    return load_keyword_table()


def _postings():
    postings = generate_postings(2500, seed=21)
    postings += [Posting(title=t) for _, t in load_position_set()]
    postings += [Posting(text=t) for _, t in load_competency_set()]
    return postings + EDGE_CASES


def _rs_only(table):
    """The same table compiled without the C scanner (its own cache entry via a copy of the table)."""
    twin = dataclasses.replace(table)
    matcher._CACHE[twin] = dataclasses.replace(matcher.compile_table(twin), scanner=None)
    return twin


def test_raw_scan_equals_ahocorasick_rs(table):
    compiled = matcher.compile_table(table)
    postings = _postings()
    batch = matcher.prepare_py([p.title for p in postings], [p.text for p in postings])
    pid, doc, start, end, in_title = compiled.scanner.scan(batch.buf, first_only=False, bounds=False)
    pid, doc, start, end = (np.frombuffer(x, dtype=np.int32) for x in (pid, doc, start, end))
    expected = np.array(compiled.automaton.find_matches_as_indexes(batch.buf, overlapping=True), dtype=np.int64)
    assert len(pid) == len(expected) > 100_000
    assert np.array_equal(pid, expected[:, 0])
    assert np.array_equal(start + batch.start[doc], expected[:, 1])
    assert np.array_equal(end + batch.start[doc], expected[:, 2])
    assert np.array_equal(np.frombuffer(in_title, dtype=np.bool_), end + batch.start[doc] <= batch.title_end[doc])


keywords = st.text(alphabet="ab中文\n", min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.lists(keywords, min_size=1, max_size=12, unique=True), st.lists(st.text("ab中文 \n", max_size=30)))
def test_random_patterns_and_texts_scan_as_ahocorasick_rs(patterns, docs):
    encoded = [p.encode() for p in patterns]
    flags = bytes(len(encoded))
    automaton = acscan.Automaton(encoded, flags, flags, flags)
    buf = b"\x00" + b"\x00".join(d.encode() for d in docs) + b"\x00"
    pid, doc, start, end, _ = automaton.scan(buf, first_only=False, bounds=False)
    starts = np.array([0, *np.cumsum([len(d.encode()) + 1 for d in docs])]) + 1
    pid, doc, start, end = (np.frombuffer(x, dtype=np.int32) for x in (pid, doc, start, end))
    got = list(zip(pid.tolist(), (start + starts[doc]).tolist(), (end + starts[doc]).tolist(), strict=True))
    reference = __import__("ahocorasick_rs").BytesAhoCorasick(encoded)
    assert got == [tuple(m) for m in reference.find_matches_as_indexes(buf, overlapping=True)]


def test_first_valid_matches_equal_the_numpy_path(table):
    compiled = matcher.compile_table(table)
    postings = _postings()
    for prepare in (matcher.prepare, matcher.prepare_py):
        batch = prepare([p.title for p in postings], [p.text for p in postings])
        ours = matcher.scan(compiled, batch, first_only=True)
        theirs = matcher.first_matches(matcher._scan_rs(compiled, batch))
        for field in ("pid", "doc", "start", "end", "in_title"):
            assert np.array_equal(getattr(ours, field), getattr(theirs, field)), field
        everything = matcher.scan(compiled, batch)
        assert len(everything.pid) > len(ours.pid)


def test_capitalised_keywords_count_only_capitalised():
    t = build_keyword_table({"competencies": {"C": {"en": ["ai"]}}, "platforms": {"WISH": {"en": ["wish"]}}})
    got = tag_batch(["x\nwe wish you luck, then Wish, then Ｗish", "x\nwish and WISH", "x\nemail ai"], t)
    assert [h.code for h in got[0].platforms] == ["WISH"]
    assert got[0].platforms[0].evidence == ("wish",)
    assert [h.code for h in got[1].platforms] == ["WISH"]
    assert got[2].competencies[0].evidence == ("ai",)
    assert tag_batch(["x\nwish you were here"], t)[0].platforms == ()


text_chars = st.sampled_from(list("aZ Ｈｅ１＄\n\r\x00中文é ΣİK ＡＢ$€\t电商ＳＥＯwW") + ["𝐀", "😀"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.text(text_chars, max_size=8), st.text(text_chars, max_size=20)), max_size=4))
def test_c_prepare_makes_the_same_batch_as_python(pairs):
    titles, texts = [a for a, _ in pairs], [b for _, b in pairs]
    ours, theirs = matcher.prepare(titles, texts), matcher.prepare_py(titles, texts)
    assert ours.buf == theirs.buf
    for field in ("start", "end", "title_end"):
        assert np.array_equal(getattr(ours, field), getattr(theirs, field)), field
    if ours.upper is not None:
        original = b"\x00" + matcher.fold(theirs.joined).encode() + b"\x00"
        capitals = [original[i : i + 1].isupper() for i in range(len(original))]
        assert np.array_equal(np.packbits(np.array(capitals, dtype=bool), bitorder="little"), ours.upper)
    elif titles:  # only texts with cased letters beyond ASCII and the full-width forms go to Python
        beyond = [ch for ch in "".join(titles + texts) if ch.lower() != ch and not ch.isascii()]
        assert any(not "\uff21" <= ch <= "\uff3a" for ch in beyond)


def test_tag_results_are_the_same_with_and_without_the_extension(table, monkeypatch):
    postings = _postings()
    ours = tag_batch(postings, table, year=2024)
    columns = tag_columns(postings, table)
    monkeypatch.setattr(tagger, "_group_hits", None)
    monkeypatch.setattr(matcher, "_c_prepare", None)
    twin = _rs_only(table)
    assert tag_batch(postings, twin, year=2024) == ours
    theirs = tag_columns(postings, twin)
    for field in ("doc", "kind", "code", "position"):
        assert np.array_equal(getattr(columns, field), getattr(theirs, field)), field


def test_group_hits_refuses_rows_out_of_order():
    one = np.zeros(2, dtype=np.int32)
    with pytest.raises(ValueError, match="order of doc"):
        acscan.group_hits(
            np.array([1, 0], dtype=np.int32), np.zeros(2, dtype=np.int8), one, one, 2, 2, 1, b"\x01\x01", -1, -1,
            np.zeros(1, dtype=np.int64), {}, lambda key: key,
        )
    with pytest.raises(ValueError, match="order of doc"):
        acscan.group_hits(
            np.array([0, 5], dtype=np.int32), np.zeros(2, dtype=np.int8), one, one, 2, 2, 1, b"\x01\x01", -1, -1,
            np.zeros(1, dtype=np.int64), {}, lambda key: key,
        )


def test_a_pattern_holding_a_nul_never_matches_and_bad_input_is_refused():
    automaton = acscan.Automaton([b"a\x00b", b"b"], b"\x00\x00", b"\x00\x00", b"\x00\x00")
    pid, *_ = automaton.scan(b"\x00a\x00b\x00")
    assert np.frombuffer(pid, dtype=np.int32).tolist() == [1]
    with pytest.raises(TypeError, match="pattern 0"):
        acscan.Automaton([b""], b"\x00", b"\x00", b"\x00")
    with pytest.raises(ValueError, match="need_left"):
        acscan.Automaton([b"a"], b"", b"\x00", b"\x00")


def test_an_automaton_cannot_be_rebuilt_under_a_running_scan():
    automaton = acscan.Automaton([b"a"], b"\x00", b"\x00", b"\x00")
    with pytest.raises(TypeError, match="already initialised"):
        automaton.__init__([b"b"], b"\x00", b"\x00", b"\x00")
