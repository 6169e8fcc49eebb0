import dataclasses
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbec_talent.engines.curriculum import allocation_table, largest_remainder_percent, ratio_text


def _seed_table1():
    base = Path(os.environ.get("CBEC_SHARED_DATA", Path(__file__).resolve().parents[3] / "../shared/data"))
    seeds = sorted((base.resolve().parent / "seeds").glob("000_*.txt"))
    if not seeds:
        pytest.skip(f"seed 000 not found next to {base} (set CBEC_SHARED_DATA)")
    text = seeds[0].read_text(encoding="utf-8")
    rows = {}
    for label, code in (
        ("General compulsory course", "GC"),
        ("Basic specialized course", "BS"),
        ("Specialized course", "SP"),
        ("Specialized Practice", "PR"),
        ("Total", "TOTAL"),
    ):
        m = re.search(rf"^{label} ((?:\d+ ?){{5}})", text, re.M)
        rows[code] = [int(x) for x in m.group(1).split()]
    ratio = re.search(r"Theory：Practice（%） (\d+:\d+)", text).group(1)
    return rows, ratio


def test_table1_reproduced_from_the_paper000_courses(paper000):
    table = allocation_table(paper000)
    got = {
        r.module: [r.credits, r.percent, r.total_hours, r.theory_hours, r.practice_hours]
        for r in (*table.rows, table.total)
    }
    for srow in paper000.stated.rows:
        assert got[srow.module] == [
            srow.credits,
            srow.percent,
            srow.total_hours,
            srow.theory_hours,
            srow.practice_hours,
        ], srow.module


def test_stated_figures_are_the_seed_papers_table1_verbatim(paper000):
    rows, ratio = _seed_table1()
    stated = {
        r.module: [r.credits, r.percent, r.total_hours, r.theory_hours, r.practice_hours] for r in paper000.stated.rows
    }
    assert stated == rows
    assert paper000.stated.theory_practice_ratio == ratio


def test_only_the_ratio_disagrees_and_both_values_are_shown(paper000):
    table = allocation_table(paper000)
    assert [d.figure for d in table.discrepancies] == ["TOTAL.theory_practice_ratio"]
    d = table.discrepancies[0]
    assert (d.stated, d.computed) == ("62:38", "61:39")
    assert abs(table.theory_share - 1692 / 2768) < 1e-12
    for text in (d.message.zh, d.message.en):
        assert "62:38" in text and "61:39" in text and "61.1%" in text


def test_changed_course_shows_module_and_total_discrepancies(paper000):
    courses = list(paper000.courses)
    i = next(n for n, c in enumerate(courses) if c.code == "BS01")
    courses[i] = dataclasses.replace(courses[i], credits=courses[i].credits + 1)
    table = allocation_table(dataclasses.replace(paper000, courses=tuple(courses)))
    figures = {d.figure: (d.stated, d.computed) for d in table.discrepancies}
    assert figures["BS.credits"] == ("30", "31")
    assert figures["TOTAL.credits"] == ("150", "151")
    assert "BS.total_hours" not in figures


def test_no_stated_table_means_no_discrepancies(paper000):
    assert allocation_table(dataclasses.replace(paper000, stated=None)).discrepancies == ()


def test_percent_rounding_is_largest_remainder():
    assert largest_remainder_percent([54, 30, 34, 32]) == [36, 20, 23, 21]
    assert largest_remainder_percent([1, 1, 1]) == [34, 33, 33]


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=12).filter(lambda v: sum(v) > 0))
def test_percentages_always_add_to_100_and_stay_within_one_point(values):
    pct = largest_remainder_percent(values)
    assert sum(pct) == 100
    for v, p in zip(values, pct, strict=True):
        assert abs(p - 100 * v / sum(values)) < 1


def test_ratio_text_rounds_half_up_and_complements():
    assert ratio_text(1692, 2768) == "61:39"
    assert ratio_text(1, 8) == "13:87"
    assert ratio_text(0, 768) == "0:100"


def test_course_in_an_undefined_module_is_refused(paper000):
    bad = dataclasses.replace(paper000.courses[0], module="XX")
    with pytest.raises(ValueError, match="XX"):
        allocation_table(dataclasses.replace(paper000, courses=(bad, *paper000.courses[1:])))
