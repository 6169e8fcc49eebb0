"""Demand-engine throughput on generated postings (~2 KB each, mixed Chinese and English, from the seeded
generator cbec_talent.engines.demand.synth) beside a spaCy PhraseMatcher baseline (blank 'zh' pipeline,
character segmentation, attr LOWER, the same keywords, no model download) on the same postings, one core.

Headline: tag_columns (the columnar fast path: competencies, position, platforms, languages, city,
education). tag_batch (full TagResult objects with evidence, salary and experience) is printed beside it.
Run: .venv/bin/python bench/demand_throughput.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cbec_talent.engines.demand import load_keyword_table, tag_batch, tag_columns  # noqa: E402
from cbec_talent.engines.demand.data import KINDS  # noqa: E402
from cbec_talent.engines.demand.synth import generate_postings  # noqa: E402


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def timed(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def spacy_baseline(table, postings):
    """Build a PhraseMatcher over every keyword of the table; return a function tagging the postings into
    the same (doc, kind, code) sets (substring semantics: no word boundaries)."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("zh")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for kind in KINDS:
        mapping = {
            "competency": table.competencies,
            "position": table.positions,
            "platform": table.platforms,
            "language": table.languages,
            "city": table.cities,
            "education": table.education,
        }[kind]
        for code, words in mapping.items():
            matcher.add(f"{kind}|{code}", [nlp.make_doc(w) for w in words])
    texts = [f"{p.title}\n{p.text}" for p in postings]

    def run():
        out = []
        for doc in nlp.pipe(texts):
            out.append({nlp.vocab.strings[m] for m, _, _ in matcher(doc)})
        return out

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,000 postings instead of 20,000")
    parser.add_argument("--postings", type=int, help="number of postings to generate")
    args = parser.parse_args()
    one_core()
    n = args.postings or (4000 if args.quick else 20000)
    table = load_keyword_table()
    postings = generate_postings(n, seed=2026)
    mb = sum(len(f"{p.title}\n{p.text}".encode()) for p in postings) / 1e6
    tag_columns(postings[:50], table)  # compile the automaton outside the timing
    col_s, cols = timed(lambda: tag_columns(postings, table), 5)
    full_s, results = timed(lambda: tag_batch(postings, table), 5)
    n_base = min(n, 1000 if args.quick else 2000)
    base_run = spacy_baseline(table, postings[:n_base])
    base_s, base = timed(base_run, 3)
    ours = n / col_s
    full = n / full_s
    baseline = n_base / base_s
    with_position = int((cols.position >= 0).sum())
    per_doc = cols.doc.size / n
    base_per_doc = sum(len(s) for s in base) / n_base
    print(f"{n} generated postings, {mb:.1f} MB ({mb * 1e3 / n:.2f} KB each), one core")
    print(f"{'':34}{'postings/s':>12}{'MB/s':>9}{'median s':>10}")
    print(f"{'tag_columns (columnar)':34}{ours:12.0f}{mb / col_s:9.1f}{col_s:10.3f}")
    print(f"{'tag_batch (full results)':34}{full:12.0f}{mb / full_s:9.1f}{full_s:10.3f}")
    label = f"spaCy PhraseMatcher ({n_base} postings)"
    print(f"{label:34}{baseline:12.0f}{mb * n_base / n / base_s:9.1f}{base_s:10.3f}")
    print(
        f"ratio columnar/spaCy {ours / baseline:.1f}x, full/spaCy {full / baseline:.1f}x; "
        f"codes per posting: ours {per_doc:.1f} (word-bounded), spaCy {base_per_doc:.1f} (substrings); "
        f"postings with a position {with_position}/{n}; with salary "
        f"{sum(r.salary is not None for r in results)}/{n}"
    )
    print(
        json.dumps(
            {
                "postings_per_s": round(ours),
                "baseline_postings_per_s": round(baseline),
                "ratio": round(ours / baseline, 1),
                "mb_per_s": round(mb / col_s, 1),
                "full_postings_per_s": round(full),
                "full_ratio": round(full / baseline, 1),
                "median_s": round(col_s, 4),
                "baseline_median_s": round(base_s, 4),
                "postings": n,
                "baseline_postings": n_base,
                "mb": round(mb, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
