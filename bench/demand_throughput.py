"""Demand-engine throughput on generated postings (~2 KB each, mixed Chinese and English, from the seeded
generator cbec_talent.engines.demand.synth) beside a spaCy PhraseMatcher baseline on the same postings, in the
same run, pinned to one core.

What each side does (printed by the run as well):
  ours, headline -- tag_batch: the full tagging the product uses (labour_market import): competencies with
      evidence, position (longest title keyword) and its CSCO occupations, platforms, languages, city,
      education, salary and experience (regular expressions around anchors), month; word boundaries for
      Latin keywords, plural forms, full-width folding, capitalised-only keywords; one TagResult per posting.
  ours, columnar -- tag_columns: the same keyword tags as arrays (no evidence, salary or experience).
  ours without the C extension -- tag_batch with ahocorasick-rs and numpy (what a machine without a C compiler
      runs; identical results), printed as fallback_postings_per_s.
  baseline -- spaCy PhraseMatcher (blank 'zh' pipeline = character segmentation, attr LOWER, no model
      download) over the same keywords of every kind; per posting the set of (kind, code) found. It does
      phrase matching only: no word boundaries, no position rule, no salary/experience/month extraction.
Timing rounds alternate between the sides so both see the same machine load; spaCy and the run without the C
extension each live in their own forked process (a fresh heap: neither side pays for the other's objects and
caches), driven round by round from the main one; objects alive before a round are frozen out of the cyclic
garbage collector; medians of wall-clock time (headline) and of process CPU time (printed, less sensitive to
other processes).

With ESCO skill linking on (when ../shared/data/esco-skills-flat is there): tag_batch followed by the import's
fast ESCO linker (engines/demand/esco.py FastLinker: every ESCO label and the Chinese lexicon in one
Aho-Corasick pass per posting, the 5 best skills kept), timed in the same rounds; printed as esco_* figures.

Run: .venv/bin/python bench/demand_throughput.py [--quick] [--postings N] [--baseline-postings N] [--no-esco]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cbec_talent.engines.demand import load_keyword_table, matcher, tag_batch, tag_columns, tagger  # noqa: E402
from cbec_talent.engines.demand.data import KINDS  # noqa: E402
from cbec_talent.engines.demand.evaluate import evaluate, load_competency_set, load_position_set  # noqa: E402
from cbec_talent.engines.demand.synth import generate_postings  # noqa: E402


def one_core() -> int | None:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return core
    return None


class Timer:
    """Wall-clock and CPU seconds of repeated runs of one function."""

    def __init__(self, fn):
        self.fn, self.wall, self.cpu, self.out = fn, [], [], None

    def run(self) -> None:
        # Objects alive before the round (the postings, earlier outputs) are frozen out of the cyclic
        # collector, so neither side pays for traversing the other's results (spaCy allocates many
        # container objects; the tagger pauses the collector itself).
        self.out = None
        gc.collect()
        gc.freeze()
        try:
            w, c = time.perf_counter(), time.process_time()
            self.out = self.fn()
            self.cpu.append(time.process_time() - c)
            self.wall.append(time.perf_counter() - w)
        finally:
            gc.unfreeze()

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


class ProcessTimer:
    """A Timer whose function is built and run in its own forked process, driven round by round from here so the
    sides still alternate under the same machine load: a fresh heap for each side, so neither one's objects and
    caches slow the other (measured: spaCy ran 1.6 times slower in the same process as the other timers)."""

    def __init__(self, factory):
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=self._serve, args=(factory, child), daemon=True)
        self.proc.start()
        child.close()
        self.wall: list[float] = []
        self.cpu: list[float] = []

    @staticmethod
    def _serve(factory, conn) -> None:
        timer = Timer(factory())
        while (command := conn.recv()) != "stop":
            if command == "run":
                timer.run()
                conn.send((timer.wall[-1], timer.cpu[-1]))
            else:
                conn.send(timer.out)

    def run(self) -> None:
        self.conn.send("run")
        wall, cpu = self.conn.recv()
        self.wall.append(wall)
        self.cpu.append(cpu)

    def output(self):
        """The last round's output (sent back once), then the process stops."""
        self.conn.send("out")
        out = self.conn.recv()
        self.conn.send("stop")
        self.proc.join()
        return out

    median = Timer.median
    cpu_median = Timer.cpu_median


def spacy_baseline(table, postings):
    """A PhraseMatcher over every keyword of every kind of the table; the returned function tags the
    postings into per-posting sets of (kind, code) (substring semantics: character tokens, no boundaries)."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("zh")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for kind in KINDS:
        for code, words in table.keywords(kind).items():
            matcher.add(f"{kind}|{code}", [nlp.make_doc(w) for w in words])
    texts = [f"{p.title}\n{p.text}" for p in postings]
    strings = nlp.vocab.strings

    def run():
        return [{strings[m] for m, _, _ in matcher(doc)} for doc in nlp.pipe(texts, batch_size=256)]

    return run


def ours_as_sets(table, cols) -> list[set[str]]:
    """tag_columns output in the baseline's form (position included), for the agreement figure."""
    out: list[set[str]] = [set() for _ in range(cols.n_docs)]
    codes = [table.codes(k) for k in KINDS]
    for d, k, c in zip(cols.doc.tolist(), cols.kind.tolist(), cols.code.tolist(), strict=True):
        out[d].add(f"{KINDS[k]}|{codes[k][c]}")
    positions = table.codes("position")
    for d, p in enumerate(cols.position.tolist()):
        if p >= 0:
            out[d].add(f"position|{positions[p]}")
    return out


def without_extension(table, postings):
    """tag_batch as it runs where the C extension was not built: ahocorasick-rs scan, Python prepare, numpy
    grouping (the same results)."""
    twin = dataclasses.replace(table)
    matcher._CACHE[twin] = dataclasses.replace(matcher.compile_table(twin), scanner=None)

    def run():
        saved = matcher._c_prepare, tagger._group_hits
        matcher._c_prepare = tagger._group_hits = None
        try:
            return tag_batch(postings, twin)
        finally:
            matcher._c_prepare, tagger._group_hits = saved

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,000 postings instead of 20,000")
    parser.add_argument("--postings", type=int, help="number of postings to generate")
    parser.add_argument("--baseline-postings", type=int, help="spaCy on the first N of them (default: all)")
    parser.add_argument("--no-esco", action="store_true", help="without the ESCO linking figures")
    args = parser.parse_args()
    core = one_core()
    n = args.postings or (4000 if args.quick else 20000)
    table = load_keyword_table()
    postings = generate_postings(n, seed=2026)
    n_base = min(n, args.baseline_postings or n)
    mb = sum(len(f"{p.title}\n{p.text}".encode()) for p in postings) / 1e6
    base = ProcessTimer(lambda: spacy_baseline(table, postings[:n_base]))
    fallback = ProcessTimer(lambda: without_extension(table, postings))
    tag_batch(postings[:50], table)  # compile the automaton outside the timing
    full = Timer(lambda: tag_batch(postings, table))
    cols = Timer(lambda: tag_columns(postings, table))
    esco_fast = None if args.no_esco else esco_linker()
    with_esco = link_only = None
    if esco_fast is not None:
        texts = [f"{p.title}\n{p.text}" for p in postings]
        with_esco = Timer(lambda: (tag_batch(postings, table), [esco_fast.link(t) for t in texts]))
        link_only = Timer(lambda: [esco_fast.link(t) for t in texts])
    base_rounds = 3
    for r in range(5):
        full.run()
        cols.run()
        if with_esco is not None:
            with_esco.run()
            link_only.run()
        if r < base_rounds:
            base.run()
            fallback.run()
    scanner = "c" if matcher.compile_table(table).scanner is not None else "ahocorasick-rs"
    fallback_same = fallback.output() == full.out

    results, columns = full.out, cols.out
    rate, col_rate, base_rate = n / full.median, n / cols.median, n_base / base.median
    cpu_rate, base_cpu_rate = n / full.cpu_median, n_base / base.cpu_median
    ours_sets = ours_as_sets(table, columns)[:n_base]
    base_sets = base.output()
    both = sum(len(a & b) for a, b in zip(ours_sets, base_sets, strict=True))
    only_base = sum(len(b - a) for a, b in zip(ours_sets, base_sets, strict=True))
    only_ours = sum(len(a - b) for a, b in zip(ours_sets, base_sets, strict=True))
    q = evaluate(table, load_competency_set(), load_position_set())
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    print(f"{n} generated postings, {mb:.1f} MB ({mb * 1e3 / n:.2f} KB each), pinned to core {core}; load {load}")
    print("ours (headline) = tag_batch, the full product tagging: competencies+evidence, position, CSCO coding,")
    print("   platforms, languages, city, education, salary, experience, month; one TagResult per posting")
    print("ours (columnar) = tag_columns: the same keyword tags as arrays, no evidence/salary/experience")
    print("baseline = spaCy PhraseMatcher (blank zh, char tokens, LOWER) over the same keywords of every kind,")
    print(f"   (kind, code) sets per posting, phrase matching only; run on the first {n_base} of the same postings")
    print(f"{'':34}{'postings/s':>12}{'MB/s':>9}{'median s':>10}{'CPU post/s':>12}")
    print(f"{'tag_batch (full, headline)':34}{rate:12.0f}{mb / full.median:9.1f}{full.median:10.3f}{cpu_rate:12.0f}")
    print(
        f"{'tag_columns (keyword tags only)':34}{col_rate:12.0f}{mb / cols.median:9.1f}{cols.median:10.3f}"
        f"{n / cols.cpu_median:12.0f}"
    )
    base_mb = mb * n_base / n
    label = f"spaCy PhraseMatcher ({n_base})"
    print(f"{label:34}{base_rate:12.0f}{base_mb / base.median:9.1f}{base.median:10.3f}{base_cpu_rate:12.0f}")
    label = "tag_batch without the C extension"
    fb_rate = n / fallback.median
    print(f"{label:34}{fb_rate:12.0f}{mb / fallback.median:9.1f}{fallback.median:10.3f}{n / fallback.cpu_median:12.0f}")
    print(f"scanner: {scanner}; results without the extension identical: {fallback_same}")
    print(
        f"ratio full/spaCy {rate / base_rate:.1f}x (CPU time {cpu_rate / base_cpu_rate:.1f}x), "
        f"columnar/spaCy {col_rate / base_rate:.1f}x"
    )
    print(
        f"agreement on (kind, code) per posting: both {both}, spaCy only {only_base} (substrings inside words, "
        f"every title keyword as a position), ours only {only_ours}; postings with a position "
        f"{int((columns.position >= 0).sum())}/{n}, salary {sum(r.salary is not None for r in results)}/{n}, "
        f"experience {sum(r.experience is not None for r in results)}/{n}; evaluation-set F1 {q.f1:.4f}"
    )
    esco_keys = {}
    if with_esco is not None:
        esco_rate, link_rate = n / with_esco.median, n / link_only.median
        linked = sum(1 for found in link_only.out if found)
        print(
            f"{'tag_batch + ESCO fast linking':34}{esco_rate:12.0f}{mb / with_esco.median:9.1f}{with_esco.median:10.3f}"
            f"{n / with_esco.cpu_median:12.0f}"
        )
        print(
            f"{'ESCO fast linking alone':34}{link_rate:12.0f}{mb / link_only.median:9.1f}{link_only.median:10.3f}"
            f"{n / link_only.cpu_median:12.0f}"
        )
        print(
            f"ESCO linking on: {esco_rate / rate:.2f} x the rate of tag_batch alone (same rounds); "
            f"{linked}/{n} postings linked to at least one ESCO skill; "
            f"{len(esco_fast.patterns)} patterns over {len(esco_fast.catalogue)} skills"
        )
        esco_keys = {
            "esco_postings_per_s": round(esco_rate),
            "esco_cpu_postings_per_s": round(n / with_esco.cpu_median),
            "esco_ratio_to_tag_batch": round(esco_rate / rate, 3),
            "esco_linking_only_per_s": round(link_rate),
            "esco_postings_linked": linked,
        }
    print(
        json.dumps(
            {
                "postings_per_s": round(rate),
                "baseline_postings_per_s": round(base_rate),
                "ratio": round(rate / base_rate, 1),
                "median_s": round(full.median, 4),
                "baseline_median_s": round(base.median, 4),
                "cpu_postings_per_s": round(cpu_rate),
                "baseline_cpu_postings_per_s": round(base_cpu_rate),
                "cpu_ratio": round(cpu_rate / base_cpu_rate, 1),
                "columnar_postings_per_s": round(col_rate),
                "columnar_ratio": round(col_rate / base_rate, 1),
                "scanner": scanner,
                "fallback_postings_per_s": round(fb_rate),
                "fallback_ratio": round(fb_rate / base_rate, 1),
                "fallback_identical": fallback_same,
                "mb_per_s": round(mb / full.median, 1),
                "postings": n,
                "baseline_postings": n_base,
                "mb": round(mb, 2),
                "with_salary": sum(r.salary is not None for r in results),
                "agreement_both": both,
                "spacy_only": only_base,
                "ours_only": only_ours,
                "f1": round(q.f1, 4),
                "load": round(load, 2) if load is not None else None,
                **esco_keys,
                **coding_speed(),
            }
        )
    )


def esco_linker():
    """The import's fast ESCO linker over the shared ESCO skills (None, said, when they are absent)."""
    from cbec_talent.engines.demand import esco

    if not esco.DEFAULT_FLAT.exists():
        print(f"ESCO linking: skipped ({esco.DEFAULT_FLAT} not found; set CBEC_SHARED_DATA)")
        return None
    t0 = time.perf_counter()
    fast = esco.FastLinker(esco.make_linker(embeddings=False, cache_dir=REPO / "var" / "esco"))
    print(f"ESCO fast linker built in {time.perf_counter() - t0:.1f} s (outside the timing)")
    return fast


def title_file(n: int = 5000, seed: int = 13) -> list[str]:
    """``n`` distinct noisy job titles made from the classification's names and aliases (place, recruiting,
    seniority and pay words around them), as a posting file would hold them."""
    import random

    from cbec_talent.engines.demand.occupation import load_classification

    rng = random.Random(seed)
    names = sorted({a for o in load_classification() if o.level == 4 for a in (o.name, *o.aliases)})
    before = ["", "", "诚聘", "急招", "高级", "资深", "深圳", "杭州"]
    after = ["", "", "（广州）", "-宁波", " 五险一金", " 双休", " 月入8000+", "(J10728)", "主管", "助理"]
    titles: set[str] = set()
    while len(titles) < n:
        titles.add(rng.choice(before) + rng.choice(names) + rng.choice(after))
    return sorted(titles)


def coding_speed() -> dict:
    """The occupation coder cold (no cache): a 5,000-line title file through `cbec-talent demand code` (a new
    process: start-up, index build, reading and writing included), and the coding alone in this process."""
    import subprocess
    import tempfile

    from cbec_talent.engines.demand.occupation import OccupationCoder

    titles = title_file()
    coder = OccupationCoder()
    t0 = time.perf_counter()
    coder.code_many(titles, 5)
    in_process = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "titles.txt"
        src.write_text("\n".join(titles) + "\n", encoding="utf-8")
        cli = [sys.executable, "-m", "cbec_talent.cli", "demand", "code", str(src), "-o", str(Path(tmp) / "o.jsonl")]
        import resource

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cli, check=True, cwd=REPO)
        whole = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        whole_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(
        f"occupation coding, cold cache: {len(titles)} distinct titles coded in {in_process:.2f} s "
        f"({len(titles) / in_process:,.0f} titles/s); the 5,000-line file through `cbec-talent demand code` "
        f"in {whole:.2f} s wall, {whole_cpu:.2f} s CPU (target < 5 s)"
    )
    return {
        "title_file_5000_s": round(whole, 3),
        "title_file_5000_cpu_s": round(whole_cpu, 3),
        "coding_cold_titles_per_s": round(len(titles) / in_process),
    }


if __name__ == "__main__":
    main()
