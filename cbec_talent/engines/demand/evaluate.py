"""Measure tagging quality on a labelled evaluation set (see evalset/README.md for the file format)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from cbec_talent.engines.demand.data import KeywordTable, Posting, Quality
from cbec_talent.engines.demand.tagger import tag_batch

#: The evaluation set shipped with the engine.
EVALSET_DIR = Path(__file__).resolve().parent / "evalset"


def _read_tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            label, sep, text = line.partition("\t")
            if not sep or not text.strip():
                raise ValueError(f"{path}:{n}: expected 'label<TAB>text'")
            rows.append((label.strip(), text.strip()))
    return rows


def load_competency_set(path: str | Path | None = None) -> list[tuple[frozenset[str], str]]:
    """(gold competency codes, sentence) pairs; "-" means no code."""
    rows = _read_tsv(Path(path) if path else EVALSET_DIR / "competencies.tsv")
    return [(frozenset() if label == "-" else frozenset(label.split()), text) for label, text in rows]


def load_position_set(path: str | Path | None = None) -> list[tuple[str | None, str]]:
    """(gold position code or None, title) pairs."""
    rows = _read_tsv(Path(path) if path else EVALSET_DIR / "positions.tsv")
    return [(None if label == "-" else label, text) for label, text in rows]


def evaluate(
    table: KeywordTable,
    sentences: list[tuple[frozenset[str], str]] | None = None,
    titles: list[tuple[str | None, str]] | None = None,
) -> Quality:
    """Tag the sentences (as descriptions, no title) and the titles; score them against the labels."""
    sentences = load_competency_set() if sentences is None else sentences
    titles = load_position_set() if titles is None else titles
    tagged = tag_batch([Posting(text=text) for _, text in sentences], table)
    tp, fp, fn = Counter(), Counter(), Counter()
    errors = []
    for (gold, text), result in zip(sentences, tagged, strict=True):
        found = set(result.competency_codes)
        for code in found & gold:
            tp[code] += 1
        for code in found - gold:
            fp[code] += 1
        for code in gold - found:
            fn[code] += 1
        if found != gold:
            errors.append(f"competency: {text} | gold={sorted(gold)} found={sorted(found)}")
    t, p_, n_ = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = t / (t + p_) if t + p_ else 1.0
    recall = t / (t + n_) if t + n_ else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_code = {}
    for code in sorted(set(tp) | set(fp) | set(fn)):
        d = 2 * tp[code] + fp[code] + fn[code]
        per_code[code] = 2 * tp[code] / d if d else 1.0
    positions = tag_batch([Posting(title=text) for _, text in titles], table)
    correct = 0
    for (gold_pos, text), result in zip(titles, positions, strict=True):
        if result.position == gold_pos:
            correct += 1
        else:
            errors.append(f"position: {text} | gold={gold_pos} found={result.position}")
    return Quality(
        precision=precision,
        recall=recall,
        f1=f1,
        position_accuracy=correct / len(titles) if titles else 1.0,
        sentences=len(sentences),
        titles=len(titles),
        per_code_f1=per_code,
        errors=tuple(errors),
    )
