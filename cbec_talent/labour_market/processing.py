"""Turning file rows into postings: field checks, normalisation, duplicate keys, and tag rows from the engine."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cbec_talent.competencies.models import Competency, Framework, Position
from cbec_talent.core.errors import Problem
from cbec_talent.engines.demand import KeywordTable, build_keyword_table, tag_batch
from cbec_talent.engines.demand import Posting as EnginePosting
from cbec_talent.engines.demand.extract import extract_salary

from .models import Posting, PostingTag

LIMITS = {
    "title": 300,
    "company": 200,
    "location": 200,
    "salary": 100,
    "source": 100,
    "language": 20,
    "description": 20000,
}
_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2}))?\s*日?(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def normalise(text: str) -> str:
    """Half-width, lower case, single spaces: the form duplicate keys are computed on."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(normalise(p) for p in parts).encode("utf-8"), digest_size=16).hexdigest()


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
    exact = _digest(fields.get("title", ""), fields.get("company", ""), fields.get("description", ""))
    near = _digest(fields.get("title", ""), fields.get("company", ""), fields.get("location", ""))
    return Row(number, fields, posted, exact, near), []


def framework_keyword_table(framework: Framework) -> KeywordTable:
    """The engine's keyword table built from a framework's competencies and positions as stored now."""
    comps = list(Competency.objects.filter(framework=framework).order_by("order", "code"))
    positions = list(Position.objects.filter(framework=framework).order_by("order", "code"))
    keywords = {
        "competencies": {c.code: {"zh": c.keywords_zh, "en": c.keywords_en} for c in comps},
        "positions": {p.code: {"zh": p.keywords_zh, "en": p.keywords_en} for p in positions},
    }
    return build_keyword_table(
        keywords,
        framework=framework.code,
        position_csco={p.code: list(p.csco_codes) for p in positions},
        competency_codes=[c.code for c in comps],
        position_codes=[p.code for p in positions],
    )


def _salary(text: str):
    found = extract_salary(normalise(text)) if text else None
    if found is None:
        return None, None
    low, high = found.monthly()
    return round(low, 2), None if high is None else round(high, 2)


def store_rows(posting_import, rows: list[Row], table: KeywordTable) -> int:
    """Create the postings and their tag rows for one chunk; returns the number stored."""
    engine_postings = [
        EnginePosting(
            title=r.fields.get("title", ""),
            text=r.fields.get("description", ""),
            location=r.fields.get("location", ""),
            posted=r.posted.isoformat() if r.posted else "",
            company=r.fields.get("company", ""),
        )
        for r in rows
    ]
    results = tag_batch(engine_postings, table)
    postings = []
    for r, res in zip(rows, results, strict=True):
        low, high = _salary(r.fields.get("salary", ""))
        if low is None and res.salary is not None:
            low, high = (round(x, 2) if x is not None else None for x in res.salary.monthly())
        p = Posting(
            posting_import=posting_import,
            row=r.number,
            title=r.fields.get("title", ""),
            company=r.fields.get("company", ""),
            description=r.fields.get("description", ""),
            location=r.fields.get("location", ""),
            city=(res.city or "")[:60],
            salary=r.fields.get("salary", ""),
            salary_min=low,
            salary_max=high,
            posted=r.posted,
            month=res.month or (r.posted.strftime("%Y-%m") if r.posted else ""),
            source=r.fields.get("source", ""),
            language=r.fields.get("language", ""),
            position=res.position or "",
            hash=r.hash,
            near_key=r.near_key,
        )
        p.full_clean(exclude=["posting_import"])
        postings.append(p)
    Posting.objects.bulk_create(postings)
    tags = []
    for p, res in zip(postings, results, strict=True):
        tags.extend(tag_rows(p, res))
    PostingTag.objects.bulk_create(tags)
    return len(postings)


def tag_rows(p: Posting, res) -> list[PostingTag]:
    """One PostingTag per (kind, code) the engine found in a stored posting."""
    K = PostingTag.Kind
    found: dict[tuple[str, str], str] = {}
    for h in res.competencies:
        found[(K.COMPETENCY, h.code)] = ", ".join(h.evidence)
    if res.position:
        found[(K.POSITION, res.position)] = res.position_evidence or ""
    for code in res.csco:
        found[(K.OCCUPATION, code)] = res.position or ""
    for h in res.platforms:
        found[(K.PLATFORM, h.code)] = ", ".join(h.evidence)
    for h in res.languages:
        found[(K.LANGUAGE, h.code)] = ", ".join(h.evidence)
    if p.city:
        found[(K.CITY, p.city)] = p.location
    if p.month:
        found[(K.MONTH, p.month)] = ""
    return [
        PostingTag(posting=p, posting_import_id=p.posting_import_id, kind=k, code=c[:60], evidence=e[:300])
        for (k, c), e in found.items()
    ]


def retag_postings(posting_import, table: KeywordTable, chunk: int = 500) -> int:
    """Tag an import's stored postings again (after keyword edits); returns the number of postings."""
    PostingTag.objects.filter(posting_import=posting_import).delete()
    qs = Posting.objects.filter(posting_import=posting_import).order_by("pk")
    done = 0
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:chunk])
        if not batch:
            return done
        results = tag_batch(
            [
                EnginePosting(
                    title=p.title,
                    text=p.description,
                    location=p.location,
                    posted=p.posted.isoformat() if p.posted else "",
                    company=p.company,
                )
                for p in batch
            ],
            table,
        )
        tags = []
        for p, res in zip(batch, results, strict=True):
            p.position = res.position or ""
            p.city = (res.city or "")[:60]
            tags.extend(tag_rows(p, res))
        Posting.objects.bulk_update(batch, ["position", "city"])
        PostingTag.objects.bulk_create(tags)
        done += len(batch)
        last = batch[-1].pk
