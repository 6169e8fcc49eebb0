"""Demand figures, trends, top-skill ranking and the Markdown report."""

import numpy as np
import pytest

from cbec_talent.engines.demand import (
    Posting,
    demand_figures,
    load_keyword_table,
    render_markdown,
    tag_batch,
    top_skills,
    trends,
)


@pytest.fixture(scope="module")
def results():
    table = load_keyword_table()
    postings = [
        Posting(title="亚马逊运营专员", text="英语四级，数据分析", location="深圳-宝安区", posted="2026-01-05"),
        Posting(
            title="外贸业务员", text="开发客户，英语流利，月薪6000-8000元", location="深圳-南山区", posted="2026-02-01"
        ),
        Posting(title="外贸业务员", text="开发海外客户，会日语", location="广州", posted="2026-02-11"),
        Posting(
            title="Sales Representative", text="English, Amazon and eBay sales", location="杭州", posted="2026-03-02"
        ),
        Posting(title="行政专员", text="负责办公室行政", location="深圳", posted="2026-03-09"),
    ]
    return tag_batch(postings, table)


def test_counts_by_every_dimension(results):
    f = demand_figures(results)
    assert f.postings == 5
    assert f.by_position == {"POS.06": 3, "POS.11": 1}
    assert f.with_position == 4
    assert f.by_competency["MKT.SALES"] == 3
    assert f.by_competency["LANG.EN"] == 3
    assert f.by_platform == {"amazon": 2, "ebay": 1}
    assert f.by_language == {"en": 3, "ja": 1}
    assert f.by_city == {"深圳": 3, "广州": 1, "杭州": 1}
    assert f.by_month == {"2026-01": 1, "2026-02": 2, "2026-03": 2}
    assert f.with_salary == 1
    assert f.salary_monthly_median == {"POS.06": 7000}
    # every posting counted once, under its coded occupation (the best-ranked CSCO code of its title)
    assert sum(f.by_occupation.values()) == 5
    assert f.by_occupation["4-01-06-01"] >= 1  # 亚马逊运营专员: 电子商务师
    assert f.by_occupation["2-06-07-01"] >= 2  # 外贸业务员 twice: 国际商务专业人员
    assert f.by_occupation == {c: sum(r.csco[0] == c for r in results) for c in f.by_occupation}


def test_top_skills_ranking(results):
    top = top_skills(results, 3)
    assert [s.rank for s in top] == [1, 2, 3]
    assert [s.postings for s in top] == sorted((s.postings for s in top), reverse=True)
    assert top[0].postings == 3 and top[0].share == pytest.approx(0.6)
    assert {top[0].code, top[1].code} == {"LANG.EN", "MKT.SALES"}


def test_trend_counts_and_slope(results):
    tr = trends(results, "competency")
    assert tr.months == ("2026-01", "2026-02", "2026-03")
    col = tr.codes.index("MKT.SALES")
    assert tr.counts[:, col].tolist() == [0, 2, 1]
    assert tr.slope[col] == pytest.approx(0.5)
    assert tr.counts.shape == (3, len(tr.codes))
    assert np.all(tr.counts.sum(axis=0) > 0)
    with pytest.raises(ValueError):
        trends(results, "colour")


def test_report_has_figures_and_no_posting_text(results):
    md = render_markdown(
        demand_figures(results), title="Demo", top=top_skills(results, 5), names={"POS.06": "Senior sales consultant"}
    )
    assert "# Demo" in md
    assert "| POS.06 | Senior sales consultant | 3 | 60.0% |" in md
    assert "负责办公室行政" not in md and "开发海外客户" not in md
