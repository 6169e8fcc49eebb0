"""The fast tagging path gives exactly what a plain per-match implementation gives, and its shortcuts (salary
start scan, one experience alternation, shared Hit objects, paused cyclic GC) are exact."""

from __future__ import annotations

import gc
import random

import numpy as np
import pytest

from cbec_talent.engines.demand import Posting, build_keyword_table, load_keyword_table, tag_batch
from cbec_talent.engines.demand import extract as ex
from cbec_talent.engines.demand.data import KINDS, Hit, TagResult
from cbec_talent.engines.demand.evaluate import load_competency_set, load_position_set
from cbec_talent.engines.demand.extract import extract_experience, extract_salary, posting_month
from cbec_talent.engines.demand.matcher import (
    ANCHOR_EXPERIENCE,
    ANCHOR_SALARY,
    compile_table,
    expand,
    prepare,
    scan,
)
from cbec_talent.engines.demand.synth import generate_postings
from cbec_talent.engines.demand.tagger import _city_from_location, _positions
from cbec_talent.engines.demand.vocab import EDUCATION_ORDER


@pytest.fixture(scope="module")
def table():
    return load_keyword_table()


def reference_tags(postings: list[Posting], table, year=None) -> list[TagResult]:
    """The straightforward implementation: every match of the scan walked in Python, one dict per posting."""
    compiled = compile_table(table)
    batch = prepare([p.title for p in postings], [p.text for p in postings])
    found = scan(compiled, batch)
    match, kind, code, doc = expand(compiled, found)
    pos, which = _positions(compiled, found, match, kind, code, doc, len(postings))
    codes, patterns = compiled.codes, compiled.patterns
    per_doc = [[{} for _ in range(len(KINDS))] for _ in postings]
    sal_at = [[] for _ in postings]
    exp_at = [[] for _ in postings]
    seen = set()
    for m, k, c, d in zip(match.tolist(), kind.tolist(), code.tolist(), doc.tolist(), strict=True):
        pid = int(found.pid[m])
        if (d, pid, k, c) in seen or k == 1:
            continue
        seen.add((d, pid, k, c))
        start = int(found.start[m])
        if k == ANCHOR_SALARY:
            sal_at[d].append(start)
        elif k == ANCHOR_EXPERIENCE:
            exp_at[d].append(start)
        else:
            per_doc[d][k].setdefault(c, []).append(patterns[pid])

    def first(extract, d, starts, before, after):
        text = batch.buf[batch.start[d] : batch.end[d]]
        for s in starts:
            a = max(0, s - before)
            while a > 0 and text[a - 1] in b"0123456789,.":
                a -= 1
            got = extract(text[a : s + after].decode("utf-8", errors="ignore"))
            if got is not None:
                return got
        return None

    rank = {c: i for i, c in enumerate(EDUCATION_ORDER)}
    out = []
    for d, p in enumerate(postings):
        kinds = per_doc[d]
        position = codes[1][pos[d]] if pos[d] >= 0 else None
        city = _city_from_location(p.location, table) if p.location else None
        if city is None and kinds[4]:
            city = codes[4][next(iter(kinds[4]))]
        edu = min((codes[5][c] for c in kinds[5]), key=lambda e: rank.get(e, len(rank))) if kinds[5] else None

        def hits(k, kinds=kinds):
            return tuple(Hit(codes[k][c], tuple(ev)) for c, ev in kinds[k].items())

        out.append(
            TagResult(
                competencies=hits(0),
                position=position,
                position_evidence=patterns[found.pid[which[d]]] if which[d] >= 0 else None,
                csco=table.position_csco.get(position, ()) if position else (),
                platforms=hits(2),
                languages=hits(3),
                city=city,
                salary=first(extract_salary, d, sal_at[d], 40, 48),
                experience=first(extract_experience, d, exp_at[d], 48, 60),
                education=edu,
                month=posting_month(p.posted, year),
            )
        )
    return out


EDGE_CASES = [
    Posting(),
    Posting(title="亚马逊运营\n专员", text="\x00x"),
    Posting(text="we wish you luck; sells on Wish; 本科 大专 硕士; 深圳 广州; 月薪1-1.5万; 经验3年"),
    Posting(title="AMAZON运营", text="Ｅｎｇｌｉｓｈ ＦＢＡ ５０００元/月"),
    Posting(text="KELVIN \u212a and \u0130stanbul, AMAZON, ÉCOLE, salary: USD 3,000 per month"),
    Posting(title="Shopee Customer Service", text="3-5 years of experience, 50-60年经验, at least 2", posted="03-05"),
]


def test_fast_path_equals_the_plain_implementation(table):
    postings = generate_postings(1500, seed=11)
    postings += [Posting(title=t) for _, t in load_position_set()]
    postings += [Posting(text=t) for _, t in load_competency_set()]
    postings += EDGE_CASES
    assert tag_batch(postings, table, year=2024, coding=False) == reference_tags(postings, table, year=2024)


def test_a_small_table_across_chunks_equals_the_plain_implementation():
    t = build_keyword_table(
        {
            "competencies": {"TECH.DESIGN": {"zh": ["美工"], "en": ["AI", "PS"]}, "X": {"en": ["ai design"]}},
            "positions": {"P1": {"zh": ["美工"]}},
        }
    )
    postings = [Posting(title="美工", text=f"AI and PS, ai design {i}, email tips") for i in range(2500)]
    assert tag_batch(postings, t, coding=False) == reference_tags(postings, t)
    first = tag_batch(postings, t)[0]
    assert first.competencies == (Hit("TECH.DESIGN", ("美工", "ai", "ps")), Hit("X", ("ai design",)))
    assert first.position == "P1"


def test_salary_start_scan_finds_the_same_matches_as_finditer():
    rnd = random.Random(3)
    parts = ["月薪", "年薪", "salary", ": ", "pay ", "$", "us$", "usd ", "¥", "rmb", "人民币", "1", "15", "3,000"]
    parts += ["0.5", "k", "w", "万", "千", "-", "~", "至", "to", " ", "元", "/月", "/年", "每月", "per month"]
    parts += ["以上", "+", "年"]
    parts += ["mo", "month", "天", "/天", "经验", "abc", "运营", "\n", "面议", "scp", "upr"]
    for _ in range(20000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(1, 12)))
        assert [m.span() for m in ex._salary_matches(text)] == [m.span() for m in ex._SALARY.finditer(text)], text


def test_experience_alternation_equals_trying_each_pattern():
    rnd = random.Random(4)
    parts = ["经验", "年", "以上", "-", "3", "45", "至", "years", "year", "experience", "at least ", "of ", "应届"]
    parts += ["1.5", "两", "十", "to", " ", "运营", "+", "及", "的", "min. "]
    texts = ["50-60年经验，3年以上经验", "at least 45 years, 3+ years experience", "经验不限", "1-3年的电商运营经验"]
    texts += ["".join(rnd.choice(parts) for _ in range(rnd.randint(2, 10))) for _ in range(20000)]
    for text in texts:
        slow = ex._experience_each(text) if any(w in text for w in ("经验", "year", "应届", "level")) else None
        assert extract_experience(text) == slow, text


@pytest.mark.parametrize("enabled", [True, False])
def test_tagging_restores_the_garbage_collector_state(table, enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        tag_batch([Posting(title="亚马逊运营", text="英语四级")], table)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_hits_are_shared_but_equal_to_fresh_ones(table):
    a, b = tag_batch([Posting(text="熟悉亚马逊和Shopee"), Posting(text="熟悉亚马逊和Shopee")], table)
    assert a.platforms == b.platforms == (Hit("amazon", ("亚马逊",)), Hit("shopee", ("shopee",)))
    assert a.platforms[0] is b.platforms[0]
    assert np.array_equal([h.code for h in a.platforms], ["amazon", "shopee"])
