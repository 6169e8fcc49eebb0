"""Quality on the shipped evaluation set, and coverage on real 51job titles when the data is present.

Thresholds: the first run of the engine on the set, before any keyword was tuned against it, measured
F1 0.886 and position accuracy 0.994 (the tuned keywords now give about 0.91 and 1.0). F1 >= 0.85 and
position accuracy >= 0.95 leave room for small keyword edits but fail when an edit loses a competency's
common wording or breaks the title rules.
"""

import csv
import os
from pathlib import Path

import pytest

from cbec_talent.engines.demand import Posting, load_keyword_table, tag_batch
from cbec_talent.engines.demand.evaluate import evaluate, load_competency_set, load_position_set

SHARED = Path(os.environ.get("CBEC_SHARED_DATA", Path(__file__).resolve().parents[3] / ".." / "shared" / "data"))


def test_evaluation_set_is_large_and_mixed():
    sentences, titles = load_competency_set(), load_position_set()
    assert len(sentences) + len(titles) >= 300
    has_cjk = sum(any("\u4e00" <= ch <= "\u9fff" for ch in text) for _, text in sentences)
    assert 0.3 < has_cjk / len(sentences) < 0.9
    table = load_keyword_table()
    gold = {c for codes, _ in sentences for c in codes}
    assert gold == set(table.codes("competency"))
    assert {p for p, _ in titles if p} == set(table.codes("position"))


def test_quality_on_the_evaluation_set():
    q = evaluate(load_keyword_table())
    assert q.f1 >= 0.85, q.errors
    assert q.precision >= 0.8 and q.recall >= 0.85
    assert q.position_accuracy >= 0.95, [e for e in q.errors if e.startswith("position")]


def test_a_wrong_table_scores_low():
    table = load_keyword_table()
    from cbec_talent.engines.demand import build_keyword_table

    swapped = build_keyword_table(
        {
            "competencies": dict(
                zip(table.codes("competency"), reversed(list(table.competencies.values())), strict=True)
            ),
            "positions": {},
        }
    )
    q = evaluate(swapped)
    assert q.f1 < 0.3 and q.position_accuracy < 0.2


def test_coverage_on_real_51job_titles():
    path = SHARED / "51job-waimao-2019" / "postings_dev.tsv"
    if not path.exists():
        pytest.skip(f"{path} not present")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for _, r in zip(range(1500), csv.DictReader(fh, delimiter="\t"), strict=False)]
    results = tag_batch([Posting(title=r["title"], location=r["location"]) for r in rows], load_keyword_table())
    coverage = sum(r.position is not None for r in results) / len(results)
    assert coverage >= 0.85
    assert sum(r.city == "深圳" for r in results) / len(results) > 0.9
