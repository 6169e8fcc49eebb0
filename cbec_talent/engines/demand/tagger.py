"""Tag postings: competencies, position and CSCO occupation, platforms, languages, city, salary,
experience, education and month. Everything but salary and experience comes from one automaton scan."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence

import numpy as np

from cbec_talent.engines.demand.data import KINDS, Hit, KeywordTable, Posting, TagColumns, TagResult
from cbec_talent.engines.demand.extract import extract_experience, extract_salary, posting_month
from cbec_talent.engines.demand.matcher import (
    ANCHOR_EXPERIENCE,
    ANCHOR_SALARY,
    Batch,
    Compiled,
    compile_table,
    expand,
    prepare,
    scan,
)
from cbec_talent.engines.demand.vocab import EDUCATION_ORDER

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


#: Postings scanned per automaton call: keeps the match lists small (cache- and GC-friendly).
CHUNK = 1000


def tag_columns(items: Iterable[str | Posting], table: KeywordTable) -> TagColumns:
    """Columnar tags of a batch (fast path): distinct (doc, kind, code) rows and one position per doc.

    Bare strings are postings whose first line is the title. Salary and experience are not extracted here;
    use tag_batch for them.
    """
    postings = [_as_posting(x) for x in items]
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
    found = scan(compiled, batch)
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


def _windows(doc: bytes, starts: list[int], before: int, after: int) -> list[str]:
    """Decoded text windows around anchor byte offsets (numbers cut at the left edge are extended)."""
    out = []
    for s in starts:
        a = max(0, s - before)
        while a > 0 and (48 <= doc[a - 1] <= 57 or doc[a - 1] in (44, 46)):
            a -= 1
        out.append(doc[a : s + after].decode("utf-8", errors="ignore"))
    return out


def _doc(batch: Batch, i: int) -> bytes:
    return batch.buf[batch.start[i] : batch.end[i]]


def _first(extract, windows: list[str]):
    for w in windows:
        found = extract(w)
        if found is not None:
            return found
    return None


def tag_batch(items: Iterable[str | Posting], table: KeywordTable, *, year: int | None = None) -> list[TagResult]:
    """Tag postings (or bare texts whose first line is the title) with everything the engine finds.

    ``year`` completes "MM-DD" posting dates into months. Evidence lists the distinct matched keywords
    (normalised: lower case, half-width) in order of first appearance.
    """
    postings = [_as_posting(x) for x in items]
    results: list[TagResult] = []
    for i in range(0, len(postings), CHUNK):
        results.extend(_batch_chunk(postings[i : i + CHUNK], table, year))
    return results


def _batch_chunk(postings: list[Posting], table: KeywordTable, year: int | None) -> list[TagResult]:
    n = len(postings)
    compiled = compile_table(table)
    batch = _prepare(postings)
    found = scan(compiled, batch)
    match, kind, code, doc = expand(compiled, found)
    pos, which = _positions(compiled, found, match, kind, code, doc, n)
    # distinct (doc, kind, code, pattern), kept in order of first appearance
    pid = found.pid[match]
    keep = kind != _K_POS
    npat = max(1, len(compiled.patterns))
    width = max(1, max(len(c) for c in compiled.codes))
    key = ((doc[keep] * (ANCHOR_EXPERIENCE + 1) + kind[keep]) * width + code[keep]) * npat + pid[keep]
    _, first = np.unique(key, return_index=True)
    rows = np.flatnonzero(keep)[np.sort(first)]
    kind_l, code_l, pid_l = kind[rows].tolist(), code[rows].tolist(), pid[rows].tolist()
    start_l = found.start[match[rows]].tolist()
    bounds = np.searchsorted(doc[rows], np.arange(n + 1)).tolist()
    pos_l, which_l = pos.tolist(), which.tolist()
    patterns = compiled.patterns
    codes = compiled.codes
    position_pid = found.pid[np.maximum(which, 0)].tolist() if len(found.pid) else [0] * n
    edu_rank = {c: i for i, c in enumerate(EDUCATION_ORDER)}
    results = []
    for i, p in enumerate(postings):
        per_kind: list[dict[int, list[str]]] = [{}, {}, {}, {}, {}, {}]
        sal_at: list[int] = []
        exp_at: list[int] = []
        for r in range(bounds[i], bounds[i + 1]):
            k = kind_l[r]
            if k == ANCHOR_SALARY:
                sal_at.append(start_l[r])
            elif k == ANCHOR_EXPERIENCE:
                exp_at.append(start_l[r])
            else:
                per_kind[k].setdefault(code_l[r], []).append(patterns[pid_l[r]])
        position = codes[_K_POS][pos_l[i]] if pos_l[i] >= 0 else None
        city = _city_from_location(p.location, table) if p.location else None
        if city is None and per_kind[_K_CITY]:
            city = codes[_K_CITY][next(iter(per_kind[_K_CITY]))]
        edu = None
        if per_kind[_K_EDU]:
            edu = min((codes[_K_EDU][c] for c in per_kind[_K_EDU]), key=lambda e: edu_rank.get(e, len(edu_rank)))
        results.append(
            TagResult(
                competencies=tuple(Hit(codes[_K_COMP][c], tuple(ev)) for c, ev in per_kind[_K_COMP].items()),
                position=position,
                position_evidence=patterns[position_pid[i]] if which_l[i] >= 0 else None,
                csco=table.position_csco.get(position, ()) if position else (),
                platforms=tuple(Hit(codes[_K_PLAT][c], tuple(ev)) for c, ev in per_kind[_K_PLAT].items()),
                languages=tuple(Hit(codes[_K_LANG][c], tuple(ev)) for c, ev in per_kind[_K_LANG].items()),
                city=city,
                salary=_first(extract_salary, _windows(_doc(batch, i), sal_at, 40, 48)) if sal_at else None,
                experience=_first(extract_experience, _windows(_doc(batch, i), exp_at, 48, 60)) if exp_at else None,
                education=edu,
                month=posting_month(p.posted, year),
            )
        )
    return results


def tag(item: str | Posting, table: KeywordTable, *, year: int | None = None) -> TagResult:
    """Tag one posting (see tag_batch)."""
    return tag_batch([item], table, year=year)[0]
