"""One Aho-Corasick automaton over every keyword of a table, scanning whole batches at once.

The scanner is the package's C extension ``_acscan`` (a DFA walked over four runs of documents at once,
returning packed arrays and, for the tagger, only each keyword's first valid match per document); where it
was not built (no C compiler at install), ahocorasick-rs gives the same matches in the same order, slower.

Text is folded once (full-width letters and digits to half-width, then lower case) and encoded as UTF-8;
a batch is joined with NUL separators and scanned in one call. Keywords whose first (last) byte is an ASCII
letter or digit must not be preceded (followed) by one: "ai" does not match inside "email". CJK keywords
need no boundary.
"""

from __future__ import annotations

import itertools
import re
import weakref
from dataclasses import dataclass

import ahocorasick_rs
import numpy as np

from cbec_talent.engines.demand.data import KINDS, KeywordTable

try:
    from cbec_talent.engines.demand._acscan import Automaton as _CAutomaton
    from cbec_talent.engines.demand._acscan import prepare as _c_prepare
except ImportError:  # built without a C compiler: Python prepares and ahocorasick-rs scans
    _CAutomaton = _c_prepare = None

_FULLWIDTH_RUN = re.compile("[\uff04\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
# UTF-8 of lower-cased full-width "＄", digits and letters: the fast test for "anything to fold?"
_FULLWIDTH_BYTES = re.compile(rb"\xef(?:\xbc[\x84\x90-\x99]|\xbd[\x81-\x9a])")

_ALNUM = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789":
    _ALNUM[_c] = True


def _fold_run(m: re.Match[str]) -> str:
    return m.group(0).translate(_FOLD)


def fold(text: str) -> str:
    """Fold full-width letters, digits and "＄" to half-width (punctuation is left alone: the extractors
    accept both widths)."""
    return _FULLWIDTH_RUN.sub(_fold_run, text)


def normalise(text: str) -> str:
    """fold() then lower-case: the form keywords and texts are matched in."""
    return fold(text).lower()


@dataclass(frozen=True, eq=False)
class Compiled:
    """A table compiled for matching. Pattern i has targets tgt_kind/tgt_code[tgt_ptr[i]:tgt_ptr[i+1]]."""

    automaton: ahocorasick_rs.BytesAhoCorasick
    scanner: object | None  # the C automaton (None without the extension)
    patterns: tuple[str, ...]
    pattern_len: np.ndarray
    need_left: np.ndarray
    need_right: np.ndarray
    capital: np.ndarray
    tgt_ptr: np.ndarray
    tgt_kind: np.ndarray
    tgt_code: np.ndarray
    codes: tuple[tuple[str, ...], ...]


_PLURAL_END = re.compile(r"[a-rt-z]$")
_LATIN_WORDS = re.compile(r"^[a-z][a-z .'/&+-]*$")


def _variants(key: str) -> tuple[str, ...]:
    """A keyword and, for English words and phrases of three letters or more that do not end in "s", its
    plural ("supplier" also finds "suppliers")."""
    if not key:
        return ()
    if len(key) >= 3 and _LATIN_WORDS.match(key) and _PLURAL_END.search(key) and key[-2:-1].isalpha():
        return (key, key + "s")
    return (key,)


#: Internal anchor kinds (after KINDS): where salary and experience extractors look.
ANCHOR_SALARY = len(KINDS)
ANCHOR_EXPERIENCE = len(KINDS) + 1
_ANCHORS = {
    ANCHOR_SALARY: [
        "元",
        "万",
        "千",
        "薪",
        "salary",
        "$",
        "¥",
        "￥",
        "rmb",
        "usd",
        "cny",
        "美元",
        *(f"{d}{u}" for d in "0123456789" for u in "kw"),
    ],
    ANCHOR_EXPERIENCE: ["经验", "experience", "year", "应届", "entry-level", "entry level", "fresh graduate"],
}

_CACHE: weakref.WeakKeyDictionary[KeywordTable, Compiled] = weakref.WeakKeyDictionary()


def compile_table(table: KeywordTable) -> Compiled:
    """Compile (once per table object) the automaton and the pattern -> (kind, code) arrays."""
    hit = _CACHE.get(table)
    if hit is not None:
        return hit
    targets: dict[str, list[tuple[int, int]]] = {}
    codes = []
    for k, kind in enumerate(KINDS):
        kind_codes = table.codes(kind)
        codes.append(kind_codes)
        mapping = table.keywords(kind)
        for c, code in enumerate(kind_codes):
            for word in mapping[code]:
                for key in _variants(normalise(word)):
                    if (k, c) not in targets.setdefault(key, []):
                        targets[key].append((k, c))
    for k, words in _ANCHORS.items():
        for word in words:
            targets.setdefault(word, []).append((k, 0))
    patterns = tuple(targets)
    encoded = [p.encode("utf-8") for p in patterns]
    anchor_only = [all(k >= len(KINDS) for k, _ in targets[p]) for p in patterns]
    ptr = np.zeros(len(patterns) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(targets[p]) for p in patterns])
    flat = [t for p in patterns for t in targets[p]]
    capital_words = {normalise(w) for w in table.capitalised}
    need_left = np.array([bool(_ALNUM[e[0]]) and not a for e, a in zip(encoded, anchor_only, strict=True)], dtype=bool)
    need_right = np.array(
        [bool(_ALNUM[e[-1]]) and not a for e, a in zip(encoded, anchor_only, strict=True)], dtype=bool
    )
    capital = np.array([p in capital_words for p in patterns], dtype=bool)
    scanner = None
    if _CAutomaton is not None and encoded:
        flags = [m.astype(np.uint8).tobytes() for m in (need_left, need_right, capital)]
        scanner = _CAutomaton(encoded, *flags)
    compiled = Compiled(
        automaton=ahocorasick_rs.BytesAhoCorasick(encoded) if encoded else ahocorasick_rs.BytesAhoCorasick([b"\x00"]),
        scanner=scanner,
        patterns=patterns,
        pattern_len=np.array([len(e) for e in encoded], dtype=np.int64),
        need_left=need_left,
        need_right=need_right,
        capital=capital,
        tgt_ptr=ptr,
        tgt_kind=np.array([t[0] for t in flat], dtype=np.int8),
        tgt_code=np.array([t[1] for t in flat], dtype=np.int32),
        codes=tuple(codes),
    )
    _CACHE[table] = compiled
    return compiled


@dataclass(frozen=True)
class Scan:
    """Valid keyword matches of a batch, in order of end offset (so grouped by doc): pattern id, doc,
    byte start/end in the doc, and whether the match lies in the doc's title part."""

    pid: np.ndarray
    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    in_title: np.ndarray


@dataclass(frozen=True)
class Batch:
    """A batch of texts normalised and encoded as one buffer: doc i is ``buf[start[i]:end[i]]``, its
    title part ends at ``title_end[i]``; docs are separated by NUL bytes. ``joined`` is the joined text
    before folding and lower-casing (for capitalised keywords); ``folded`` tells whether folding was needed.
    Batches prepared by the C pass have instead ``upper``: a bit mask over ``buf`` (bit i % 8 of byte i // 8) of
    the bytes that were ASCII capitals."""

    buf: bytes
    start: np.ndarray
    end: np.ndarray
    title_end: np.ndarray
    joined: str | None
    folded: bool
    upper: np.ndarray | None = None


def prepare(titles: list[str], texts: list[str]) -> Batch:
    """Join, fold, lower-case and encode a batch (one C pass; in Python when the extension is missing or a text
    holds cased letters beyond ASCII). Line breaks in a title and NUL characters anywhere become spaces."""
    if _c_prepare is not None and titles:
        got = _c_prepare(list(titles), list(texts))
        if got is not None:
            buf, start, title_end, upper = got
            start = np.frombuffer(start, dtype=np.int64)
            end = np.empty(len(start), dtype=np.int64)
            end[:-1] = start[1:] - 1
            end[-1] = len(buf) - 1
            title_end = np.frombuffer(title_end, dtype=np.int64)
            upper = np.frombuffer(upper, dtype=np.uint8)
            return Batch(buf=buf, start=start, end=end, title_end=title_end, joined=None, folded=False, upper=upper)
    return prepare_py(titles, texts)


def prepare_py(titles: list[str], texts: list[str]) -> Batch:
    """prepare() with str methods: join, fold, lower-case and encode in a few C-level passes."""
    parts = []
    for title, text in zip(titles, texts, strict=True):
        if "\n" in title or "\r" in title:
            title = title.replace("\r", " ").replace("\n", " ")
        parts.append(f"{title}\n{text}")
    joined = "\x00".join(parts)
    if joined.count("\x00") != max(0, len(parts) - 1):
        joined = "\x00".join(p.replace("\x00", " ") for p in parts)
    buf = b"\x00" + joined.lower().encode("utf-8") + b"\x00"
    folded = _FULLWIDTH_BYTES.search(buf) is not None
    if folded:
        buf = b"\x00" + normalise(joined).encode("utf-8") + b"\x00"
    data = np.frombuffer(buf, dtype=np.uint8)
    nul = np.flatnonzero(data == 0)
    start = nul[:-1] + 1
    end = nul[1:]
    newlines = np.flatnonzero(data == 10)
    title_end = newlines[np.searchsorted(newlines, start)] if len(newlines) else end.copy()
    return Batch(buf=buf, start=start, end=end, title_end=np.minimum(title_end, end), joined=joined, folded=folded)


def scan(compiled: Compiled, batch: Batch, *, first_only: bool = False) -> Scan:
    """Valid keyword matches of a prepared batch (word boundaries and capitalisation checked), in order of end
    offset (longest first at one end). ``first_only``: only each keyword's first valid match per document
    (repeats add no tag, no evidence and no earlier anchor or title position)."""
    if not compiled.patterns:
        empty = np.zeros(0, dtype=np.int64)
        return Scan(empty, empty, empty, empty, np.zeros(0, dtype=bool))
    if compiled.scanner is None:
        found = _scan_rs(compiled, batch)
        return first_matches(found) if first_only else found
    packed = compiled.scanner.scan(batch.buf, first_only=first_only)
    pid, doc, start, end = (np.frombuffer(x, dtype=np.int32) for x in packed[:4])
    in_title = np.frombuffer(packed[4], dtype=np.bool_)
    cap = compiled.capital[pid]
    if cap.any():  # capitalised-only keywords come back with every match: test them, then keep the first
        keep = np.ones(len(pid), dtype=bool)
        rows = np.flatnonzero(cap)
        at = start[rows] + batch.start[doc[rows]]
        if batch.upper is not None:
            keep[rows] = _was_capital(batch.upper, at)
        elif (original := _original(batch)) is not None:
            keep[rows] = [original[i : i + 1].isupper() for i in at.tolist()]
        if first_only:
            rows = rows[keep[rows]]
            _, first = np.unique(doc[rows].astype(np.int64) * len(compiled.patterns) + pid[rows], return_index=True)
            repeat = np.ones(len(rows), dtype=bool)
            repeat[first] = False
            keep[rows[repeat]] = False
        pid, doc, start, end, in_title = pid[keep], doc[keep], start[keep], end[keep], in_title[keep]
    return Scan(pid=pid, doc=doc, start=start, end=end, in_title=in_title)


def _was_capital(upper: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Whether the bytes at offsets ``at`` were ASCII capitals (``upper``: the bit mask of a C-prepared batch)."""
    return ((upper[at >> 3] >> (at & 7).astype(np.uint8)) & 1).astype(bool)


def _original(batch: Batch) -> bytes | None:
    """The buffer of a batch prepared in Python before lower-casing (folded when the batch was), or None when
    lower-casing changed UTF-8 lengths (e.g. a Kelvin sign) so offsets no longer align: the capitalisation test
    is then skipped for the batch and such keywords match in any case."""
    original = b"\x00" + (fold(batch.joined) if batch.folded else batch.joined).encode("utf-8") + b"\x00"
    return original if len(original) == len(batch.buf) else None


def _scan_rs(compiled: Compiled, batch: Batch) -> Scan:
    """scan() with ahocorasick-rs (one Python tuple per match; used when the C scanner was not built)."""
    found = compiled.automaton.find_matches_as_indexes(batch.buf, overlapping=True)
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return Scan(empty, empty, empty, empty, np.zeros(0, dtype=bool))
    arr = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64, count=3 * len(found)).reshape(-1, 3)
    pid, s, e = arr[:, 0], arr[:, 1], arr[:, 2]
    data = np.frombuffer(batch.buf, dtype=np.uint8)
    ok = ~(compiled.need_left[pid] & _ALNUM[data[s - 1]])
    ok &= ~(compiled.need_right[pid] & _ALNUM[data[e]])
    pid, s, e = pid[ok], s[ok], e[ok]
    cap = compiled.capital[pid]
    if cap.any():
        keep = np.ones(len(pid), dtype=bool)
        if batch.upper is not None:
            keep[cap] = _was_capital(batch.upper, s[cap])
        elif (original := _original(batch)) is not None:
            for i in np.flatnonzero(cap):
                keep[i] = original[s[i] : s[i] + 1].isupper()
        pid, s, e = pid[keep], s[keep], e[keep]
    doc = np.searchsorted(batch.start, s, side="right") - 1
    in_title = e <= batch.title_end[doc]
    # the automaton reports matches in order of their end offset, so docs are already grouped in order
    return Scan(pid=pid, doc=doc, start=s - batch.start[doc], end=e - batch.start[doc], in_title=in_title)


def stable_order(*keys: np.ndarray) -> np.ndarray:
    """``np.lexsort(keys)`` (stable; the last key is the primary one) for non-negative integer keys, as
    radix passes when every key fits in 15 bits (numpy's stable sort of 16-bit integers is a radix sort)."""
    if not len(keys[0]) or any(int(k.max()) >= 1 << 15 for k in keys):
        return np.lexsort(keys)
    order = np.argsort(keys[0].astype(np.int16), kind="stable")
    for key in keys[1:]:
        order = order[np.argsort(key[order].astype(np.int16), kind="stable")]
    return order


def first_matches(found: Scan) -> Scan:
    """The first match of each (doc, pattern), in match order."""
    order = stable_order(found.pid, found.doc)
    pid, doc = found.pid[order], found.doc[order]
    is_first = np.ones(len(order), dtype=bool)
    is_first[1:] = (pid[1:] != pid[:-1]) | (doc[1:] != doc[:-1])
    keep = np.zeros(len(order), dtype=bool)
    keep[order[is_first]] = True
    return Scan(
        pid=found.pid[keep],
        doc=found.doc[keep],
        start=found.start[keep],
        end=found.end[keep],
        in_title=found.in_title[keep],
    )


def expand(compiled: Compiled, found: Scan) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One row per (match, target): (match index, kind, code, doc)."""
    counts = compiled.tgt_ptr[found.pid + 1] - compiled.tgt_ptr[found.pid]
    match = np.repeat(np.arange(len(found.pid)), counts)
    first = np.repeat(compiled.tgt_ptr[found.pid], counts)
    offset = np.arange(len(match)) - np.repeat(np.cumsum(counts) - counts, counts)
    t = first + offset
    return match, compiled.tgt_kind[t], compiled.tgt_code[t], found.doc[match]
