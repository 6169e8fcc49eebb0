"""ESCO skills linked to text, over the ESCO skills stored (TaxonomySkill, loaded by ``load-reference``).

One linker per process, built from the stored rows the first time it is needed (some seconds for the whole
ESCO pillar; the parsed catalogue is kept in ``VAR_DIR/esco``) and built again when the stored skills change.
Lexical only (phrases, BM25, the Chinese lexicon): pages and imports never wait for an embedding model. None of
these functions writes; they return None or empty results when no ESCO skill is stored.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db.models import Count, Max

from cbec_talent.engines.demand import esco

from .models import Competency, TaxonomySkill

_LOCK = threading.Lock()
_CACHE: dict = {}


def _stored_key() -> tuple[int, int | None]:
    agg = TaxonomySkill.objects.filter(taxonomy="esco").aggregate(n=Count("id"), last=Max("id"))
    return agg["n"], agg["last"]


def linker() -> esco.SkillLinker | None:
    """The lexical linker over the stored ESCO skills (None when there are none)."""
    key = _stored_key()
    if not key[0]:
        return None
    with _LOCK:
        if _CACHE.get("key") != key:
            rows = list(TaxonomySkill.objects.filter(taxonomy="esco").order_by("code").values_list("code", "text"))
            catalogue = esco.catalogue_from_rows(rows, cache_dir=settings.VAR_DIR / "esco")
            _CACHE.clear()
            _CACHE.update(key=key, linker=esco.SkillLinker(catalogue))
        return _CACHE["linker"]


def fast_linker() -> esco.FastLinker | None:
    """The import's fast linker over the stored ESCO skills (None when there are none)."""
    base = linker()
    if base is None:
        return None
    with _LOCK:
        if "fast" not in _CACHE:
            _CACHE["fast"] = esco.FastLinker(base)
        return _CACHE["fast"]


def skill_labels(codes) -> dict[str, str]:
    """Short code (the URI's UUID) -> preferred label, for the codes given."""
    base = linker()
    if base is None:
        return {}
    by_code = {esco.short_code(u): i for i, u in enumerate(base.catalogue.uris)}
    return {c: base.catalogue.labels[by_code[c]] for c in codes if c in by_code}


def competency_text(competency: Competency) -> str:
    """What a competency is linked by: its English name, descriptor and keywords."""
    parts = [competency.name_en, competency.descriptor_en, *(competency.keywords_en or [])]
    return ". ".join(p.strip() for p in parts if p and p.strip())


def competency_skills(competency: Competency, k: int = 10) -> list[dict]:
    """The ESCO skills a framework competency covers: its English name, descriptor and keywords linked to the
    stored ESCO skills, best first, each with the words that matched."""
    base = linker()
    if base is None:
        return []
    text = competency_text(competency)
    if not text:
        return []
    out = []
    for link in base.link(text, k=k):
        if link.score <= 0:
            continue
        out.append(
            {
                "uri": link.uri,
                "code": esco.short_code(link.uri),
                "label": link.label,
                "score": round(link.score, 3),
                "span": link.evidence.get("span", ""),
                "words": link.evidence.get("words", []),
            }
        )
    return out
