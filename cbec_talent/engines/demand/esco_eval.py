"""Measures of ESCO skill linking on public benchmarks (read from ../shared/data, never copied).

* Decorte et al. (2022, 2023) skill-extraction benchmark, validation splits HOUSE and TECH
  (``esco-skill-linking-dev``): each sentence's spans are labelled with ESCO v1.1 preferred labels. As in the
  paper, a sentence counts when it has at least one label (``LABEL NOT PRESENT`` and ``UNDERSPECIFIED`` are not
  labels); the linker ranks all skills for the sentence; RP@K = (1/N) sum_n (relevant in the top K) / min(K, R_n)
  and MRR = (1/N) sum_n 1 / rank of the first relevant skill (0 when none in the list).
  The benchmark names skills by preferred label; a label maps to the catalogue skill whose flattened text starts
  with it (the longest label of the benchmark's list that prefixes the text), so the ranking is judged by URI.
* SkillSpan (Zhang et al. 2022) dev split (``skillspan-dev/dev.json``): SKILL and KNOWLEDGE spans in BIO tags;
  precision, recall and F1 of predicted spans, exact token boundaries (the paper's strict span F1).
"""

from __future__ import annotations

import csv
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

NOT_LABELS = {"LABEL NOT PRESENT", "UNDERSPECIFIED", ""}


@dataclass
class Case:
    sentence: str
    gold: set[str]  # URIs
    n_labels: int  # labels named, mapped or not (the R_n of RP@K)


def label_uris(flat_csv: Path, labels_txt: Path) -> dict[str, str]:
    """Benchmark preferred label -> URI of the catalogue skill it names."""
    labels = {line.strip() for line in labels_txt.read_text(encoding="utf-8").splitlines() if line.strip()}
    out: dict[str, str] = {}
    with open(flat_csv, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            ws = row["description"].split()
            best = None
            for k in range(1, min(len(ws), 25) + 1):
                candidate = " ".join(ws[:k])
                if candidate in labels:
                    best = candidate
            if best is not None:
                out.setdefault(best, row["id"])
    return out


def load_split(path: Path, uris: dict[str, str]) -> list[Case]:
    by_sentence: OrderedDict[str, set[str]] = OrderedDict()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            labels = by_sentence.setdefault(row["sentence"], set())
            if row["label"].strip() not in NOT_LABELS:
                labels.add(row["label"].strip())
    return [
        Case(sentence, {uris[x] for x in labels if x in uris}, len(labels))
        for sentence, labels in by_sentence.items()
        if labels
    ]


def rp_mrr(cases: list[Case], rankings: list[list[str]], k: int = 5) -> tuple[float, float]:
    """R-precision at k and mean reciprocal rank, as Decorte et al. define them."""
    if not cases:
        return 0.0, 0.0
    rp = rr = 0.0
    for case, ranked in zip(cases, rankings, strict=True):
        hits = [uri in case.gold for uri in ranked]
        rp += sum(hits[:k]) / min(k, case.n_labels)
        first = next((n for n, h in enumerate(hits, 1) if h), None)
        rr += 1.0 / first if first else 0.0
    return rp / len(cases), rr / len(cases)


def skillspan_sentences(path: Path, limit: int | None = None) -> list[tuple[list[str], set[tuple[int, int]]]]:
    """(tokens, gold spans as [start, end) token offsets, SKILL and KNOWLEDGE together)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            obj = json.loads(line)
            spans: set[tuple[int, int]] = set()
            for tags in (obj["tags_skill"], obj["tags_knowledge"]):
                start = None
                for n, tag in enumerate([*tags, "O"]):
                    if tag.startswith("B") or tag == "O" or (tag.startswith("I") and start is None):
                        if start is not None:
                            spans.add((start, n))
                            start = None
                        if tag.startswith(("B", "I")):
                            start = n
            out.append((obj["tokens"], spans))
            if limit and len(out) >= limit:
                break
    return out


def char_to_token_span(tokens: list[str], start: int, end: int) -> tuple[int, int] | None:
    """Token offsets of a character span of ``' '.join(tokens)``."""
    pos, first, last = 0, None, None
    for n, tok in enumerate(tokens):
        a, b = pos, pos + len(tok)
        if first is None and b > start:
            first = n
        if a < end:
            last = n
        pos = b + 1
    if first is None or last is None or last < first:
        return None
    return first, last + 1


def span_prf(gold: list[set[tuple[int, int]]], predicted: list[set[tuple[int, int]]]) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    n_pred = sum(map(len, predicted))
    n_gold = sum(map(len, gold))
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
