"""Tag postings: competencies, position and CSCO occupation, platforms, languages, city, salary,
experience, education and month. Everything but salary and experience comes from one automaton scan."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from cbec_talent.engines.demand.data import KINDS, Hit, KeywordTable, Posting, TagColumns, TagResult
from cbec_talent.engines.demand.extract import extract_experience, extract_salary, posting_month
from cbec_talent.engines.demand.matcher import (
    ANCHOR_EXPERIENCE,
    ANCHOR_SALARY,
    Batch,
    Compiled,
    Scan,
    compile_table,
    expand,
    prepare,
    scan,
    stable_order,
)
from cbec_talent.engines.demand.vocab import EDUCATION_ORDER

try:
    from cbec_talent.engines.demand._acscan import group_hits as _group_hits
except ImportError:  # built without a C compiler
    _group_hits = None

_K_COMP, _K_POS, _K_PLAT, _K_LANG, _K_CITY, _K_EDU = range(len(KINDS))


def _as_posting(item: str | Posting) -> Posting:
    if isinstance(item, Posting):
        return item
    title, _, body = str(item).partition("\n")
    return Posting(title=title, text=body)


def _prepare(postings: Sequence[Posting]) -> Batch:
    return prepare([p.title for p in postings], [p.text for p in postings])


def _positions(compiled: Compiled, found, match, kind, code, doc, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Per doc: (position code index or -1, the winning match index or -1). In the title, the longest
    position pattern wins; ties go to the earliest."""
    pos = np.full(n_docs, -1, dtype=np.int64)
    which = np.full(n_docs, -1, dtype=np.int64)
    sel = (kind == _K_POS) & found.in_title[match]
    if sel.any():
        m, c, d = match[sel], code[sel], doc[sel]
        length = compiled.pattern_len[found.pid[m]]
        order = np.lexsort((found.start[m], -length, d))
        d_sorted = d[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = d_sorted[1:] != d_sorted[:-1]
        pick = order[first]
        pos[d[pick]] = c[pick]
        which[d[pick]] = m[pick]
    return pos, which


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while tagging. The results are many small objects (and without the C
    extension the scan returns one tuple per match, over a hundred per posting); none of them form cycles
    (reference counting frees them), but their allocation would trigger collections that re-scan every live
    object -- a third of the run time on 20,000 postings. The previous state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: Postings scanned per automaton call: keeps the match lists small (cache- and GC-friendly).
CHUNK = 1000


def tag_columns(items: Iterable[str | Posting], table: KeywordTable) -> TagColumns:
    """Columnar tags of a batch (fast path): distinct (doc, kind, code) rows and one position per doc.

    Bare strings are postings whose first line is the title. Salary and experience are not extracted here;
    use tag_batch for them.
    """
    postings = [_as_posting(x) for x in items]
    with _no_cyclic_gc():
        parts = [_columns_chunk(postings[i : i + CHUNK], table) for i in range(0, len(postings), CHUNK)]
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return _columns_chunk([], table)
    offsets = np.cumsum([0, *(p.n_docs for p in parts)])
    return TagColumns(
        n_docs=int(offsets[-1]),
        doc=np.concatenate([p.doc + off for p, off in zip(parts, offsets, strict=False)]),
        kind=np.concatenate([p.kind for p in parts]),
        code=np.concatenate([p.code for p in parts]),
        position=np.concatenate([p.position for p in parts]),
    )


def _columns_chunk(postings: list[Posting], table: KeywordTable) -> TagColumns:
    compiled = compile_table(table)
    batch = _prepare(postings)
    found = scan(compiled, batch, first_only=True)  # repeats add no tag and no earlier title position
    match, kind, code, doc = expand(compiled, found)
    pos, _ = _positions(compiled, found, match, kind, code, doc, len(postings))
    keep = (kind != _K_POS) & (kind < len(KINDS))
    offsets = np.cumsum([0, *(len(c) for c in compiled.codes)])
    present = np.zeros((len(postings), max(1, int(offsets[-1]))), dtype=bool)
    present[doc[keep], offsets[kind[keep]] + code[keep]] = True
    d, column = np.nonzero(present)
    kinds = np.searchsorted(offsets, column, side="right") - 1
    return TagColumns(
        n_docs=len(postings),
        doc=d.astype(np.int64),
        kind=kinds.astype(np.int8),
        code=(column - offsets[kinds]).astype(np.int32),
        position=pos.astype(np.int32),
    )


_CITY_INDEX: weakref.WeakKeyDictionary[KeywordTable, dict[str, str]] = weakref.WeakKeyDictionary()


def _city_from_location(location: str, table: KeywordTable) -> str | None:
    """The city of a location field such as "深圳-宝安区", "Shenzhen" or "昆明市": a table city code when
    known, a name ending in 市 as written, else None."""
    index = _CITY_INDEX.get(table)
    if index is None:
        index = {w.lower(): code for code, words in table.cities.items() for w in (code, *words)}
        _CITY_INDEX[table] = index
    head = location.replace("－", "-").split("-", 1)[0].strip()
    if head.lower() in index:
        return index[head.lower()]
    if len(head) > 1 and head.endswith("市"):
        return index.get(head[:-1].lower(), head[:-1])
    return None  # not a city the table knows (e.g. "异地招聘", recruiting elsewhere)


#: Occupations kept per posting (TagResult.occupations / csco).
OCCUPATIONS = 5


def occupation_coder(table: KeywordTable):
    """The table's occupation coder, else the default one (built once per process)."""
    if table.occupation_coder is not None:
        return table.occupation_coder
    from cbec_talent.engines.demand.occupation import default_coder

    return default_coder()


def tag_batch(
    items: Iterable[str | Posting], table: KeywordTable, *, year: int | None = None, coding: bool = True
) -> list[TagResult]:
    """Tag postings (or bare texts whose first line is the title) with everything the engine finds.

    ``year`` completes "MM-DD" posting dates into months. Evidence lists the distinct matched keywords
    (normalised: lower case, half-width) in order of first appearance. ``coding``: code each title's CSCO 2022
    occupations (ranked, with evidence) with the table's occupation coder; without it ``csco`` falls back to
    the position's crosswalk codes.
    """
    postings = [_as_posting(x) for x in items]
    results: list[TagResult] = []
    coder = occupation_coder(table) if coding else None
    with _no_cyclic_gc():
        for i in range(0, len(postings), CHUNK):
            results.extend(_batch_chunk(postings[i : i + CHUNK], table, year, coder))
    return results


_NK = ANCHOR_EXPERIENCE + 1  # the kinds of KINDS and the two anchor kinds


#: Hit objects of a compiled table, shared between results (they are frozen), keyed by _group_keys.
_HITS: weakref.WeakKeyDictionary[Compiled, dict[str, Hit]] = weakref.WeakKeyDictionary()
_HITS_LIMIT = 500_000
_KEY_OFFSET = 0x10000  # group keys use code points from U+10000 (no surrogates, no separator)


def _hit_cache(compiled: Compiled) -> dict[str, Hit]:
    cache = _HITS.get(compiled)
    if cache is None or len(cache) > _HITS_LIMIT:
        cache = _HITS[compiled] = {}
    return cache


def _group_keys(head: np.ndarray, g_start: np.ndarray, pid: np.ndarray) -> list[str]:
    """One exact key per group: a string of code points (head, pid, pid, ...), built for all groups in a
    few numpy operations, one decode and one split -- no Python loop per group."""
    n_groups, n_rows = len(g_start), len(pid)
    if max(int(head.max()), int(pid.max())) > 0x10FFFF - _KEY_OFFSET:
        raise ValueError("keyword table too large for the tagger: at most 983,039 keywords and codes per kind")
    group_of_row = np.repeat(np.arange(n_groups), np.diff(np.append(g_start, n_rows)))
    points = np.full(n_rows + 2 * n_groups, 10, dtype="<u4")  # "\n" after each group
    points[g_start + 2 * np.arange(n_groups)] = head + _KEY_OFFSET
    points[np.arange(n_rows) + 2 * group_of_row + 1] = pid + _KEY_OFFSET
    keys = points.tobytes().decode("utf-32-le").split("\n")
    keys.pop()
    return keys


def _batch_chunk(postings: list[Posting], table: KeywordTable, year: int | None, coder=None) -> list[TagResult]:
    n = len(postings)
    compiled = compile_table(table)
    patterns, codes = compiled.patterns, compiled.codes
    batch = _prepare(postings)
    found = scan(compiled, batch, first_only=True)
    match, kind, code, doc = expand(compiled, found)
    pos, which = _positions(compiled, found, match, kind, code, doc, n)
    hits, bounds, city_l, edu_l = _tag_groups(compiled, found, match, kind, code, doc, n)
    salaries, experiences = _extractions(batch, found, match, kind, doc, n)
    pos_l, which_l = pos.tolist(), which.tolist()
    position_pid = found.pid[np.maximum(which, 0)].tolist() if len(found.pid) else [0] * n
    pos_codes, city_codes, edu_codes = codes[_K_POS], codes[_K_CITY], codes[_K_EDU]
    csco = table.position_csco
    # location fields and dates repeat across postings: each distinct one is read once per chunk
    cities = {loc: _city_from_location(loc, table) for loc in {p.location for p in postings} if loc}
    months = {d: posting_month(d, year) for d in {p.posted for p in postings} if d}
    coded = coder.code_many([p.title for p in postings], OCCUPATIONS) if coder is not None else None
    results = []
    for i, p in enumerate(postings):
        b = i * _NK
        position = pos_codes[pos_l[i]] if pos_l[i] >= 0 else None
        city = cities[p.location] if p.location else None
        if city is None and city_l[i] >= 0:
            city = city_codes[city_l[i]]
        results.append(
            TagResult(  # positional, in field order (a third faster than keywords for a frozen dataclass)
                tuple(hits[bounds[b + _K_COMP] : bounds[b + _K_COMP + 1]]),  # competencies
                position,
                patterns[position_pid[i]] if which_l[i] >= 0 else None,  # position_evidence
                tuple(m.code for m in coded[i]) if coded is not None else csco.get(position, ()) if position else (),
                tuple(hits[bounds[b + _K_PLAT] : bounds[b + _K_PLAT + 1]]),  # platforms
                tuple(hits[bounds[b + _K_LANG] : bounds[b + _K_LANG + 1]]),  # languages
                city,
                salaries.get(i),
                experiences.get(i),
                edu_codes[edu_l[i]] if edu_l[i] >= 0 else None,  # education
                months[p.posted] if p.posted else None,  # month
                coded[i] if coded is not None else (),  # occupations
            )
        )
    return results


def _tag_groups(compiled: Compiled, found: Scan, match, kind, code, doc, n: int):
    """Hits of every doc, ordered by doc, kind and first appearance, with ``bounds`` such that doc i's hits
    of kind k are ``hits[bounds[i * _NK + k] : bounds[i * _NK + k + 1]]``; and per doc the index of the
    first city named and of the lowest education level named (the first named among equals), or -1.

    A group is one (doc, kind, code); its rows are its distinct patterns (the evidence) in order of
    appearance. Hit objects come from the table's cache, so a posting costs a few list operations.
    The C extension's group_hits does it in one pass; _tag_groups_numpy is the same without it."""
    if _group_hits is None:
        return _tag_groups_numpy(compiled, found, match, kind, code, doc, n)
    patterns, codes = compiled.patterns, compiled.codes
    width = max(1, max(len(c) for c in codes))
    cache = _hit_cache(compiled)

    def new_hit(key: str) -> Hit:
        head, *pids = (ord(ch) - _KEY_OFFSET for ch in key)
        k, c = divmod(head, width)
        hit = cache[key] = Hit(codes[k][c], tuple(patterns[p] for p in pids))
        return hit

    selected = bytes(k < len(KINDS) and k != _K_POS for k in range(_NK))
    hits, bounds, city, edu = _group_hits(
        np.ascontiguousarray(doc, dtype=np.int32),
        np.ascontiguousarray(kind, dtype=np.int8),
        np.ascontiguousarray(code, dtype=np.int32),
        np.ascontiguousarray(found.pid[match], dtype=np.int32),
        n,
        _NK,
        width,
        selected,
        _K_CITY,
        _K_EDU,
        _education_rank(codes[_K_EDU]),
        cache,
        new_hit,
    )
    bounds, city, edu = (np.frombuffer(x, dtype=np.int64).tolist() for x in (bounds, city, edu))
    return hits, bounds, city, edu


def _tag_groups_numpy(compiled: Compiled, found: Scan, match, kind, code, doc, n: int):
    """_tag_groups with numpy sorts (when the C extension was not built)."""
    patterns, codes = compiled.patterns, compiled.codes
    sel = (kind < len(KINDS)) & (kind != _K_POS)
    r_doc, r_kind, r_code = doc[sel], kind[sel].astype(np.int64), code[sel].astype(np.int64)
    r_pid = found.pid[match[sel]]
    width = max(1, max(len(c) for c in codes))
    n_rows = len(r_doc)
    if n_rows:
        # rows by (doc, kind, code), each group's rows staying in order of appearance
        kind_code = r_kind * width + r_code
        order = stable_order(kind_code, r_doc)
        s_doc, s_kc = r_doc[order], kind_code[order]
        is_start = np.ones(n_rows, dtype=bool)
        is_start[1:] = (s_kc[1:] != s_kc[:-1]) | (s_doc[1:] != s_doc[:-1])
        g_start = np.flatnonzero(is_start)
        g_size = np.diff(np.append(g_start, n_rows))
        # groups by (doc, kind, first appearance): first rows in row order, then stably by kind and doc
        group_at_row = np.empty(n_rows, dtype=np.int64)
        group_at_row[order[g_start]] = np.arange(len(g_start))
        is_first_row = np.zeros(n_rows, dtype=bool)
        is_first_row[order[g_start]] = True
        by_appearance = group_at_row[is_first_row]
        perm = by_appearance[stable_order(s_kc[g_start[by_appearance]] // width, s_doc[g_start[by_appearance]])]
        size = g_size[perm]
        start = np.cumsum(size) - size
        rows = order[np.arange(n_rows) + np.repeat(g_start[perm] - start, size)]
        g_doc, g_kind, g_code = s_doc[g_start[perm]], s_kc[g_start[perm]] // width, s_kc[g_start[perm]] % width
        keys = _group_keys(s_kc[g_start[perm]], start, r_pid[rows])
    else:
        g_doc = g_kind = g_code = np.zeros(0, dtype=np.int64)
        keys = []
    cache = _hit_cache(compiled)
    try:
        hits = list(map(cache.__getitem__, keys))
    except KeyError:  # groups not seen before: make their Hits once
        for key in set(keys).difference(cache):
            head, *pids = (ord(ch) - _KEY_OFFSET for ch in key)
            k, c = divmod(head, width)
            cache[key] = Hit(codes[k][c], tuple(patterns[p] for p in pids))
        hits = list(map(cache.__getitem__, keys))
    bounds = np.searchsorted(g_doc * _NK + g_kind, np.arange(n * _NK + 1)).tolist()

    city = np.full(n, -1, dtype=np.int64)
    is_city = g_kind == _K_CITY
    first_city = np.unique(g_doc[is_city], return_index=True)
    city[first_city[0]] = g_code[is_city][first_city[1]]
    edu = np.full(n, -1, dtype=np.int64)
    is_edu = np.flatnonzero(g_kind == _K_EDU)
    if len(is_edu):
        rank = _education_rank(codes[_K_EDU])[g_code[is_edu]] * len(g_kind) + is_edu
        best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, g_doc[is_edu], rank)
        has = best != np.iinfo(np.int64).max
        edu[has] = g_code[best[has] % len(g_kind)]
    return hits, bounds, city.tolist(), edu.tolist()


def _extractions(batch: Batch, found: Scan, match, kind, doc, n: int) -> tuple[dict, dict]:
    """Salary and experience per doc (dicts doc -> value, absent when none): the regular expressions run on
    windows around the anchors' first occurrences, in order, until one finds something."""
    anchors = np.flatnonzero(kind >= ANCHOR_SALARY)
    a_doc, a_start = doc[anchors].astype(np.int64), found.start[match[anchors]].astype(np.int64)
    is_salary = kind[anchors] == ANCHOR_SALARY
    salaries = _first_in_windows(extract_salary, batch, a_doc[is_salary], a_start[is_salary], 40, 48)
    experiences = _first_in_windows(extract_experience, batch, a_doc[~is_salary], a_start[~is_salary], 48, 60)
    return salaries, experiences


_NUMBER_BYTES = np.zeros(256, dtype=bool)
_NUMBER_BYTES[list(b"0123456789,.")] = True


def _first_in_windows(extract, batch: Batch, docs: np.ndarray, starts: np.ndarray, before: int, after: int) -> dict:
    """Per doc, the first non-None ``extract(window)`` over the decoded text windows around its anchors (``docs``
    in order, ``starts`` relative to the doc), decoded one at a time; a number cut at a window's left edge is
    extended to its first digit."""
    if not len(docs):
        return {}
    lo = batch.start[docs]
    at = starts + lo
    left = np.maximum(lo, at - before)
    right = np.minimum(batch.end[docs], at + after)
    data = np.frombuffer(batch.buf, dtype=np.uint8)
    cut = np.flatnonzero((left > lo) & _NUMBER_BYTES[data[left - 1]])
    if len(cut):
        numbers = _NUMBER_BYTES
        for i in cut.tolist():
            a, floor = int(left[i]), int(lo[i])
            while a > floor and numbers[data[a - 1]]:
                a -= 1
            left[i] = a
    buf, found, done = batch.buf, {}, -1
    for d, a, b in zip(docs.tolist(), left.tolist(), right.tolist(), strict=True):
        if d == done:
            continue
        value = extract(buf[a:b].decode("utf-8", errors="ignore"))
        if value is not None:
            found[d], done = value, d
    return found


def _education_rank(edu_codes: tuple[str, ...]) -> np.ndarray:
    """Rank of each education code (index in EDUCATION_ORDER; unknown codes rank last)."""
    order = {c: i for i, c in enumerate(EDUCATION_ORDER)}
    return np.array([order.get(c, len(order)) for c in edu_codes] or [0], dtype=np.int64)


def tag(item: str | Posting, table: KeywordTable, *, year: int | None = None) -> TagResult:
    """Tag one posting (see tag_batch)."""
    return tag_batch([item], table, year=year)[0]
