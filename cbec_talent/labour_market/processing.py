"""Turning file rows into postings: field checks, normalisation, duplicate keys, and tag rows from the engine."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import json
import multiprocessing
import pickle
import re
import tempfile
import unicodedata
from collections import Counter, deque
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from cbec_talent.competencies.models import Competency, Framework, Position
from cbec_talent.core.errors import Problem
from cbec_talent.engines.demand import KeywordTable, build_keyword_table, tag_batch
from cbec_talent.engines.demand import Posting as EnginePosting
from cbec_talent.engines.demand.esco import short_code as esco_short_code
from cbec_talent.engines.demand.extract import extract_salary
from cbec_talent.engines.demand.occupation import default_coder

from .models import DemandCount, OccupationCorrection, Posting
from .reading import BlockUndecodable, parse_block

try:
    from cbec_talent.engines.demand._acscan import normalise_text as _c_normalise
except ImportError:  # built without a C compiler
    _c_normalise = None

LIMITS = {
    "title": 300,
    "company": 200,
    "location": 200,
    "salary": 100,
    "source": 100,
    "language": 20,
    "description": 20000,
}
#: Rows per INSERT statement (the database driver's parameter limit is respected by Django).
WRITE_BATCH = 1000
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2}))?\s*日?(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


#: Full-width ASCII and the ideographic space: the characters NFKC changes in most Chinese postings.
_WIDE = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_WIDE_RE = re.compile("[\uff01-\uff5e\u3000]")


def normalise(text: str) -> str:
    r"""Half-width, lower case, single spaces: the form duplicate keys are computed on.

    Equal to ``re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()``, faster: the full-width
    characters are replaced first (their NFKC forms), and NFKC runs only when the text still is not in that form;
    the C extension (when built) does the replacing, the spacing and the lower case in one pass each.
    """
    if not text:
        return ""
    if not unicodedata.is_normalized("NFKC", text):
        if _c_normalise is not None:
            text = _c_normalise(text, 0)
        else:
            for ch in set(_WIDE_RE.findall(text)):
                text = text.replace(ch, _WIDE[ch])
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    if _c_normalise is not None:
        done = _c_normalise(text, 1)
        if done is not None:
            return done
    return " ".join(text.split()).lower()


def _digest(*parts: str) -> str:
    return _digest_normalised(*(normalise(p) for p in parts))


def _digest_normalised(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def parse_date(text: str) -> dt.date | None:
    """2024-03-05, 2024/3/5, 2024.03.05, 2024年3月5日, 20240305, 2024-03 (first of the month); else None."""
    m = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not m:
        raise ValueError(text)
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    return dt.date(year, month, day)


@dataclass
class Row:
    """One checked row, ready to store."""

    number: int
    fields: dict[str, str]
    posted: dt.date | None
    hash: str
    near_key: str


def check_row(number: int, raw: dict[str, str], mapping: dict[str, str]) -> tuple[Row | None, list[Problem]]:
    """The row's mapped fields, checked; problems name the row and the target field."""
    if "__error__" in raw:
        return None, [Problem(raw["__error__"], row=number)]
    fields = {t: str(raw.get(col) or "").strip() for t, col in mapping.items() if col}
    problems = []
    if not fields.get("title"):
        problems.append(Problem(_("The title is empty."), row=number, field="title"))
    for name, limit in LIMITS.items():
        if len(fields.get(name, "")) > limit:
            problems.append(
                Problem(
                    _("Longer than %(n)d characters (%(got)d).") % {"n": limit, "got": len(fields[name])},
                    row=number,
                    field=name,
                )
            )
    posted = None
    if fields.get("date"):
        try:
            posted = parse_date(fields["date"])
        except ValueError:
            problems.append(
                Problem(
                    _("Date not understood: %(v)s (use e.g. 2024-03-05).") % {"v": fields["date"][:40]},
                    row=number,
                    field="date",
                )
            )
    if problems:
        return None, problems
    title, company = normalise(fields.get("title", "")), normalise(fields.get("company", ""))
    exact = _digest_normalised(title, company, normalise(fields.get("description", "")))
    near = _digest_normalised(title, company, normalise(fields.get("location", "")))
    return Row(number, fields, posted, exact, near), []


def framework_keyword_table(framework: Framework) -> KeywordTable:
    """The engine's keyword table built from a framework's competencies and positions as stored now."""
    comps = list(Competency.objects.filter(framework=framework).order_by("order", "code"))
    positions = list(Position.objects.filter(framework=framework).order_by("order", "code"))
    keywords = {
        "competencies": {c.code: {"zh": c.keywords_zh, "en": c.keywords_en} for c in comps},
        "positions": {p.code: {"zh": p.keywords_zh, "en": p.keywords_en} for p in positions},
    }
    table = build_keyword_table(
        keywords,
        framework=framework.code,
        position_csco={p.code: list(p.csco_codes) for p in positions},
        competency_codes=[c.code for c in comps],
        position_codes=[p.code for p in positions],
    )
    return dataclasses.replace(table, occupation_coder=occupation_coder())


def occupation_coder():
    """The engine's occupation coder with the directors' corrections (cleaned title -> code) as they are now."""
    corrections = dict(OccupationCorrection.objects.values_list("key", "code"))
    return default_coder().with_corrections(corrections, keyed=True) if corrections else default_coder()


def _salary(text: str):
    found = extract_salary(normalise(text)) if text else None
    if found is None:
        return None, None
    low, high = found.monthly()
    return round(low, 2), None if high is None else round(high, 2)


def _engine_posting(title: str, text: str, location: str, posted, company: str) -> EnginePosting:
    return EnginePosting(
        title=title, text=text, location=location, posted=posted.isoformat() if posted else "", company=company
    )


def tag_rows(rows: list[Row], table: KeywordTable) -> list:
    """The engine's TagResult of each checked row (the CPU-heavy step of an import)."""
    return tag_batch(
        [
            _engine_posting(
                r.fields.get("title", ""),
                r.fields.get("description", ""),
                r.fields.get("location", ""),
                r.posted,
                r.fields.get("company", ""),
            )
            for r in rows
        ],
        table,
    )


#: The ESCO fast linker of this process (engines.demand.esco.FastLinker), set by the import before it tags
#: (use_esco_linker) so that forked workers inherit it and never query the database; None: no ESCO linking.
_ESCO: dict = {"linker": None}
#: ESCO skills kept per posting (Posting.tags["esco"]: {skill UUID: words found}).
ESCO_PER_POSTING = 5


def use_esco_linker(linker) -> None:
    _ESCO["linker"] = linker


def esco_map(title: str, text: str) -> dict[str, str]:
    """{skill UUID: evidence} of the ESCO skills a posting asks for (the fast lexical path), best first."""
    linker = _ESCO["linker"]
    if linker is None:
        return {}
    uris = linker.catalogue.uris
    return {
        esco_short_code(uris[i]): evidence[:300]
        for i, _weight, evidence in linker.link(f"{title}\n{text}", n=ESCO_PER_POSTING)
    }


def _with_esco(tags: dict, title: str, text: str) -> dict:
    found = esco_map(title, text)
    if found:
        tags["esco"] = found
    return tags


def posting_values(rows: list[Row], results: list) -> list[dict]:
    """The field values of the postings of checked rows and their tag results (all but posting_import). The
    text fields were checked against LIMITS by check_row; the engine's values are cut to their columns here."""
    values = []
    for r, res in zip(rows, results, strict=True):
        f = r.fields
        low, high = _salary(f.get("salary", ""))
        if low is None and res.salary is not None:
            low, high = (round(x, 2) if x is not None else None for x in res.salary.monthly())
        values.append(
            {
                "row": r.number,
                "title": f.get("title", ""),
                "company": f.get("company", ""),
                "description": f.get("description", ""),
                "location": f.get("location", ""),
                "city": (res.city or "")[:60],
                "salary": f.get("salary", ""),
                "salary_min": low,
                "salary_max": high,
                "posted": r.posted,
                "month": (res.month or (r.posted.strftime("%Y-%m") if r.posted else ""))[:7],
                "source": f.get("source", ""),
                "language": f.get("language", ""),
                "position": (res.position or "")[:40],
                "hash": r.hash,
                "near_key": r.near_key,
                "tags": _with_esco(tag_map(res), f.get("title", ""), f.get("description", "")),
            }
        )
    return values


def build_postings(posting_import, rows: list[Row], results: list) -> list[Posting]:
    """Unsaved Posting objects of checked rows and their tag results."""
    return [Posting(posting_import=posting_import, **v) for v in posting_values(rows, results)]


#: Evidence kept per code: the first words found (the engine lists them in the order found).
EVIDENCE_WORDS = 3


def _evidence(words) -> str:
    return ", ".join(words[:EVIDENCE_WORDS])[:300]


def tag_map(res) -> dict[str, dict[str, str]]:
    """{kind: {code: evidence}} of one TagResult, for Posting.tags (kinds without a code are left out)."""
    found: dict[str, dict[str, str]] = {}
    if res.competencies:
        found["competency"] = {h.code[:60]: _evidence(h.evidence) for h in res.competencies}
    if res.position:
        found["position"] = {res.position[:60]: (res.position_evidence or "")[:300]}
    if res.csco:  # the coded occupation: the best-ranked code, with its evidence
        best = res.occupations[0] if res.occupations else None
        found["occupation"] = {res.csco[0][:60]: "; ".join(best.evidence)[:300] if best else ""}
    if res.platforms:
        found["platform"] = {h.code[:60]: _evidence(h.evidence) for h in res.platforms}
    if res.languages:
        found["language"] = {h.code[:60]: _evidence(h.evidence) for h in res.languages}
    return found


_json_str = json.encoder.encode_basestring  # json.dumps(text, ensure_ascii=False) of a str
#: Per kind, id(hit) -> (hit, its '"code":"evidence"' JSON member, its (kind, code) demand pair, whether its code
#: is cut to 60 characters): Hit objects are shared by the tagger's results, so each is written once. The entry
#: holds the Hit, so its id is not reused while cached.
_HIT_PARTS: dict[str, dict[int, tuple]] = {"competency": {}, "platform": {}, "language": {}}
_POSITION_PARTS: dict[tuple, str] = {}
_PARTS_LIMIT = 200_000


def _hit_parts(kind: str, hits) -> list[tuple]:
    cache = _HIT_PARTS[kind]
    out = []
    for hit in hits:
        part = cache.get(id(hit))
        if part is None:
            if len(cache) >= _PARTS_LIMIT:
                cache.clear()
            code = hit.code[:60]
            member = f"{_json_str(code)}:{_json_str(_evidence(hit.evidence))}"
            part = cache[id(hit)] = (hit, member, (kind, code), len(hit.code) > 60)
        out.append(part)
    return out


def _position_part(res) -> tuple[list[str], list[tuple[str, str]]]:
    """The JSON members ('"position":{...}', '"occupation":{...}') and demand pairs of a result's position and
    coded occupation, as tag_map makes them (the position's member cached per position and evidence)."""
    members: list[str] = []
    pairs: list[tuple[str, str]] = []
    if res.position:
        key = (res.position, res.position_evidence)
        member = _POSITION_PARTS.get(key)
        if member is None:
            if len(_POSITION_PARTS) >= _PARTS_LIMIT:
                _POSITION_PARTS.clear()
            found = {res.position[:60]: (res.position_evidence or "")[:300]}
            member = _POSITION_PARTS[key] = f'"position":{json.dumps(found, ensure_ascii=False, separators=(",", ":"))}'
        members.append(member)
        pairs.append(("position", res.position[:60]))
    if res.csco:  # the coded occupation: the best-ranked code, with its evidence (tag_map)
        best = res.occupations[0] if res.occupations else None
        found = {res.csco[0][:60]: "; ".join(best.evidence)[:300] if best else ""}
        members.append(f'"occupation":{json.dumps(found, ensure_ascii=False, separators=(",", ":"))}')
        pairs.append(("occupation", res.csco[0][:60]))
    return members, pairs


def tags_json(res) -> tuple[str, list[tuple[str, str]]]:
    """``json.dumps(tag_map(res), ensure_ascii=False, separators=(",", ":"))`` (the stored Posting.tags) and the
    (kind, code) pairs of its codes, built from JSON pieces cached per Hit instead of a dict per posting."""
    members: list[str] = []
    pairs: list[tuple[str, str]] = []
    for kind, hits in (("competency", res.competencies), ("position", None), ("platform", res.platforms),
                       ("language", res.languages)):  # fmt: skip
        if kind == "position":
            more, more_pairs = _position_part(res)
            members += more
            pairs += more_pairs
            continue
        if not hits:
            continue
        parts = _hit_parts(kind, hits)
        if any(part[3] for part in parts):  # codes cut to 60 characters may collide: the dict decides
            found = tag_map(res)
            return json.dumps(found, ensure_ascii=False, separators=(",", ":")), [
                (k, code) for k, codes in found.items() for code in codes
            ]
        members.append(f'"{kind}":{{{",".join([part[1] for part in parts])}}}')
        pairs += [part[2] for part in parts]
    return "{" + ",".join(members) + "}", pairs


def posting_rows(rows: list[Row], results: list) -> tuple[list[tuple], Counter]:
    """The database parameters of checked rows and their tag results (``[posting_params(v) for v in
    posting_values(rows, results)]``) and their demand counts (demand_keys of each, counted), without a dict per
    posting: the bulk path of imports."""
    params: list[tuple] = []
    by_month: dict[str, list] = {}
    for r, res in zip(rows, results, strict=True):
        f = r.fields
        salary = f.get("salary", "")
        low, high = _salary(salary)
        if low is None and res.salary is not None:
            low, high = (round(x, 2) if x is not None else None for x in res.salary.monthly())
        posted = r.posted
        month = (res.month or (posted.strftime("%Y-%m") if posted else ""))[:7]
        city = (res.city or "")[:60]
        tags, pairs = tags_json(res)
        esco = esco_map(f.get("title", ""), f.get("description", ""))
        if esco:  # after the other kinds, as posting_values adds it
            member = '"esco":' + json.dumps(esco, ensure_ascii=False, separators=(",", ":"))
            tags = f"{{{member}}}" if tags == "{}" else f"{tags[:-1]},{member}}}"
            pairs = [*pairs, *(("esco", code) for code in esco)]
        params.append(
            (
                r.number, f.get("title", ""), f.get("company", ""), f.get("description", ""), f.get("location", ""),
                city, salary, low, high, posted.isoformat() if posted else None, month, f.get("source", ""),
                f.get("language", ""), (res.position or "")[:40], r.hash, r.near_key, tags,
            )
        )  # fmt: skip
        month_pairs = by_month.get(month)
        if month_pairs is None:
            month_pairs = by_month[month] = []
        month_pairs += pairs
        if city:
            month_pairs.append(("city", city))
        if month:
            month_pairs.append(("month", month))
    demand: Counter = Counter()
    for month, month_pairs in by_month.items():
        for (kind, code), n in Counter(month_pairs).items():
            demand[(kind, code, month)] += n
    return params, demand


def params_demand_keys(params: tuple) -> list[tuple[str, str, str]]:
    """demand_keys of one posting from its database parameters (posting_params)."""
    return demand_keys({"month": params[MONTH], "city": params[CITY], "tags": json.loads(params[TAGS])})


def count_postings(postings, counts: Counter) -> Counter:
    """Add each stored posting once per (kind, code, month) it carries to ``counts`` (see demand_keys)."""
    for p in postings:
        counts.update(demand_keys({"month": p.month, "city": p.city, "tags": p.tags}))
    return counts


def delete_rows(queryset) -> int:
    """Delete the rows of a queryset of postings or demand counts with one DELETE, without loading them: these
    rows are derived from an import's file, and the import itself is audited (no audit entry per row)."""
    return queryset._raw_delete(queryset.db)


def save_counts(posting_import, counts: Counter) -> int:
    """Replace the import's DemandCount rows by ``counts``; call inside the transaction that finishes it."""
    delete_rows(DemandCount.objects.filter(posting_import=posting_import))
    DemandCount.objects.bulk_create(
        [
            DemandCount(posting_import=posting_import, kind=kind, code=code, month=month, postings=n)
            for (kind, code, month), n in sorted(counts.items())
            if n
        ],
        batch_size=WRITE_BATCH,
    )
    return len(counts)


def retag_postings(posting_import, table: KeywordTable, *, chunk: int = 2000, progress=None) -> int:
    """Tag an import's stored postings again (after keyword edits) and recount its demand figures; returns the
    number of postings. All or nothing: the new tags are computed chunk by chunk into a temporary file
    (``progress(share_done)`` after each chunk), then written together with the counts in one transaction."""
    qs = Posting.objects.filter(posting_import=posting_import).order_by("pk")
    total = qs.count()
    counts: Counter = Counter()
    done = 0
    columns = ("pk", "title", "description", "location", "posted", "company", "month")
    # one query streamed in chunks (a server-side cursor on PostgreSQL): re-querying "pk > last LIMIT n" per chunk
    # went quadratic on PostgreSQL right after a bulk import (no statistics yet: the planner sorted the whole
    # import for every chunk; 690 s for a million)
    if connection.vendor == "sqlite":
        stream = _keyset(qs, columns, chunk)
    else:
        stream = qs.values_list(*columns).iterator(chunk_size=chunk)
    with tempfile.TemporaryFile() as staged:
        while rows := list(itertools.islice(stream, chunk)):
            results = tag_batch([_engine_posting(*row[1:6]) for row in rows], table)
            updates = []
            for row, res in zip(rows, results, strict=True):
                tags, city = _with_esco(tag_map(res), row[1], row[2]), (res.city or "")[:60]
                counts.update(demand_keys({"month": row[6], "city": city, "tags": tags}))
                updates.append(((res.position or "")[:40], city, json.dumps(tags, ensure_ascii=False), row[0]))
            pickle.dump(updates, staged, protocol=pickle.HIGHEST_PROTOCOL)
            done += len(rows)
            if progress is not None:
                progress(done / max(1, total))
        staged.seek(0)
        with transaction.atomic(), connection.cursor() as cursor:
            _write_staged(cursor, _staged_chunks(staged))
            save_counts(posting_import, counts)
    return done


def _keyset(qs, columns, chunk: int):
    """SQLite: the rows by primary key ranges, one short read per chunk. A read cursor kept open across the
    progress writes pins an old WAL snapshot, and the connection's next write after anyone else's commit fails at
    once with "database is locked" (SQLITE_BUSY_SNAPSHOT; the busy timeout does not help)."""
    last = None
    while True:
        page = list((qs if last is None else qs.filter(pk__gt=last)).values_list(*columns)[:chunk])
        if not page:
            return
        yield from page
        last = page[-1][0]


def _staged_chunks(staged):
    """The chunks pickled into ``staged`` by retag_postings, in order."""
    while True:
        try:
            yield pickle.load(staged)
        except EOFError:
            return


def _write_staged(cursor, chunks) -> None:
    """Write (position, city, tags JSON, id) rows over the stored postings. PostgreSQL: COPY into a temporary
    table and one UPDATE ... FROM (an executemany of a million UPDATEs took minutes there); other databases: one
    executemany of UPDATEs by primary key per chunk."""
    q = connection.ops.quote_name
    table = q(Posting._meta.db_table)
    if connection.vendor == "postgresql":
        cursor.execute("DROP TABLE IF EXISTS retag_stage")  # an earlier retag in the same transaction
        cursor.execute(
            "CREATE TEMPORARY TABLE retag_stage (position varchar(40), city varchar(60), tags jsonb, id bigint) "
            "ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY retag_stage (position, city, tags, id) FROM STDIN") as copy:
            for rows in chunks:
                for row in rows:
                    copy.write_row(row)
        cursor.execute(
            f"UPDATE {table} AS p SET {q('position')} = s.position, {q('city')} = s.city, {q('tags')} = s.tags "
            f"FROM retag_stage AS s WHERE p.{q('id')} = s.id"
        )
        return
    sql = f"UPDATE {table} SET {q('position')} = %s, {q('city')} = %s, {q('tags')} = %s WHERE {q('id')} = %s"
    for rows in chunks:
        cursor.executemany(sql, rows)


# Chunks of raw rows checked (first pass) or checked and tagged (second pass), in worker processes for large
# files. The workers are forked from the importing process, so they share its keyword table without copying and
# never touch the database: all reads and writes stay in the importing process.

_STATE: dict = {}


def _worker_state(mapping: dict[str, str], table: KeywordTable | None) -> None:
    _STATE["mapping"], _STATE["table"] = mapping, table
    # a worker makes no reference cycles: what it inherited is frozen out of the cyclic collector, which is off
    # (its passes over the keyword table and caches cost a tenth of the time)
    gc.freeze()
    gc.disable()


#: Posting columns in the order of posting_params (posting_import_id is added when writing).
POSTING_COLUMNS = (
    "row", "title", "company", "description", "location", "city", "salary", "salary_min", "salary_max", "posted",
    "month", "source", "language", "position", "hash", "near_key", "tags",
)  # fmt: skip
HASH, NEAR_KEY = POSTING_COLUMNS.index("hash"), POSTING_COLUMNS.index("near_key")
CITY, MONTH, TAGS = POSTING_COLUMNS.index("city"), POSTING_COLUMNS.index("month"), POSTING_COLUMNS.index("tags")


def posting_params(values: dict) -> tuple:
    """One posting's values as database parameters in POSTING_COLUMNS order (date as ISO text, tags as JSON)."""
    posted = values["posted"]
    return tuple(
        (posted.isoformat() if posted else None)
        if c == "posted"
        else json.dumps(values["tags"], ensure_ascii=False, separators=(",", ":"))
        if c == "tags"
        else values[c]
        for c in POSTING_COLUMNS
    )


def demand_keys(values: dict) -> list[tuple[str, str, str]]:
    """The (kind, code, month) demand-count keys of one posting (each once; see count_postings)."""
    month = values["month"]
    keys = [(kind, code, month) for kind, codes in values["tags"].items() for code in codes]
    if values["city"]:
        keys.append(("city", values["city"], month))
    if month:
        keys.append(("month", month, month))
    return keys


@dataclass
class PreparedChunk:
    """One chunk of raw rows after checking (and tagging): what the importing process needs."""

    read: int
    rejected: int
    problems: list
    #: (hash, near_key) of each good row, in file order.
    keys: list
    #: per good row, its posting_params when the chunk was tagged, else None.
    postings: list | None
    #: the demand keys of all the good rows counted together (the importing process subtracts duplicates).
    demand: Counter | None = None
    #: the csv module's complaint when a block of the file could not be parsed (prepare_block).
    error: str = ""
    #: the number of a line of the block that does not decode (prepare_block), else 0.
    undecodable: int = 0


def prepare_chunk(item, mapping: dict[str, str] | None = None, table=None) -> PreparedChunk:
    """Check one chunk of raw rows ``(rows, tag)``; with ``tag`` also tag the good ones and prepare their
    database parameters and demand counts (one dict per posting: posting_values, posting_params, demand_keys,
    the reference the bulk path prepare_block is compared with). Runs in a worker process for large files (then
    mapping and table come from the worker)."""
    return _prepare(*item, mapping, table, fast=False)


def prepare_block(item, mapping: dict[str, str] | None = None, table=None) -> PreparedChunk:
    """prepare_chunk for ``(RecordBlock, tag)``: the block is parsed here (in the worker) and its postings
    prepared by posting_rows."""
    block, tag = item
    try:
        rows = parse_block(block)
    except csv.Error as exc:
        return PreparedChunk(0, 0, [], [], None, Counter(), error=str(exc))
    except BlockUndecodable as exc:
        return PreparedChunk(0, 0, [], [], None, Counter(), undecodable=exc.line)
    return _prepare(rows, tag, mapping, table, fast=True)


def _prepare(chunk, tag: bool, mapping, table, *, fast: bool) -> PreparedChunk:
    mapping = _STATE["mapping"] if mapping is None else mapping
    table = _STATE["table"] if table is None else table
    good, problems = [], []
    for number, raw in chunk:
        row, row_problems = check_row(number, raw, mapping)
        if row is None:
            problems.extend(row_problems)
        else:
            good.append(row)
    keys = [(r.hash, r.near_key) for r in good]
    postings = demand = None
    if tag and fast:
        postings, demand = posting_rows(good, tag_rows(good, table)) if good else ([], Counter())
    elif tag:
        values = posting_values(good, tag_rows(good, table)) if good else []
        postings = [posting_params(v) for v in values]
        demand = Counter()
        for v in values:
            demand.update(demand_keys(v))
    return PreparedChunk(len(chunk), len(chunk) - len(good), problems, keys, postings, demand)


def insert_postings(posting_import_id: int, params: list[tuple]) -> int:
    """Insert prepared postings (posting_params) of one import in one transaction: the bulk path of imports,
    which skips building model instances (the values were checked by check_row and cut to their columns by
    posting_values). PostgreSQL: COPY; other databases: one executemany."""
    if not params:
        return 0
    columns = [*POSTING_COLUMNS, "posting_import_id"]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(Posting._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # these rows only count once the import is done, in a transaction committed as usual: a chunk's
            # commit need not wait for the WAL flush (a crash loses at most chunks of an unfinished import)
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for p in params:
                    copy.write_row((*p, posting_import_id))
        else:
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
            cursor.executemany(sql, [(*p, posting_import_id) for p in params])
    return len(params)


def map_chunks(fn, chunks, *, workers: int, mapping: dict[str, str], table: KeywordTable | None = None):
    """fn(chunk) for each chunk, in order: here when ``workers`` < 1, else in that many forked processes with at
    most 2 x workers chunks in flight (memory stays bounded however large the file). Close the generator (or
    exhaust it) to stop the workers."""
    if workers < 1:
        for chunk in chunks:
            yield fn(chunk, mapping, table)
        return
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_state, initargs=(mapping, table))
    try:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(fn, (chunk,)))
            if len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        pool.terminate()
        pool.join()
