"""Build a KeywordTable from a framework's keyword file (and its reference file for positions and CSCO)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from cbec_talent.engines.demand import vocab
from cbec_talent.engines.demand.data import KeywordTable

#: The shipped reference framework's folder (cbec_talent/reference/framework).
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference" / "framework"

#: Keywords that are also common English words: they count only when capitalised in the posting.
CAPITALISED = frozenset({"wish"})


def _merge_languages(entry: Any, where: str) -> tuple[str, ...]:
    """{zh: [...], en: [...]} (or a bare list) -> one tuple of distinct non-empty keywords."""
    if isinstance(entry, Mapping):
        items = [*(entry.get("zh") or []), *(entry.get("en") or [])]
    elif isinstance(entry, (list, tuple)):
        items = list(entry)
    else:
        raise ValueError(f"{where}: expected {{zh: [...], en: [...]}}, got {type(entry).__name__}")
    out: list[str] = []
    for item in items:
        word = str(item).strip()
        if word and word not in out:
            out.append(word)
    return tuple(out)


def _section(data: Mapping[str, Any], name: str, default: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    raw = data.get(name)
    if raw is None:
        raw = default or {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"keywords section '{name}' must be a mapping of code -> {{zh: [...], en: [...]}}")
    return {str(code): _merge_languages(entry, f"{name}.{code}") for code, entry in raw.items()}


def build_keyword_table(
    keywords: Mapping[str, Any],
    *,
    framework: str = "CBEC-REF",
    position_csco: Mapping[str, list[str] | tuple[str, ...]] | None = None,
    competency_codes: list[str] | tuple[str, ...] | None = None,
    position_codes: list[str] | tuple[str, ...] | None = None,
) -> KeywordTable:
    """Build a table from a parsed keywords document (the keywords.yaml format).

    ``position_csco`` (position -> CSCO 2022 codes) overrides the file's ``position_csco`` section.
    ``competency_codes`` / ``position_codes``, when given (the framework's own codes), restrict the table
    to those codes and keep their order; keywords for other codes are ignored.
    """
    competencies = _section(keywords, "competencies", None)
    positions = _section(keywords, "positions", None)
    if competency_codes is not None:
        competencies = {c: competencies[c] for c in competency_codes if c in competencies}
    if position_codes is not None:
        positions = {c: positions[c] for c in position_codes if c in positions}
    csco_raw = dict(keywords.get("position_csco") or {})
    if position_csco:
        csco_raw.update({k: v for k, v in position_csco.items() if v})
    csco = {code: tuple(str(x) for x in csco_raw.get(code, ())) for code in positions}
    return KeywordTable(
        framework=framework,
        competencies=competencies,
        positions=positions,
        position_csco=csco,
        platforms=_section(keywords, "platforms", vocab.PLATFORMS),
        languages=_section(keywords, "languages", vocab.LANGUAGES),
        cities=_section(keywords, "cities", vocab.CITIES),
        education={c: v for c, v in _section(keywords, "education", vocab.EDUCATION).items()},
        capitalised=CAPITALISED,
    )


def _reference_codes(reference: Mapping[str, Any]) -> tuple[list[str], list[str], dict[str, list[str]], str]:
    competencies = [str(c["code"]) for area in reference.get("areas") or [] for c in area.get("competencies") or []]
    positions = [str(p["code"]) for p in reference.get("positions") or []]
    csco = {str(p["code"]): [str(x) for x in p.get("csco") or []] for p in reference.get("positions") or []}
    framework = str((reference.get("framework") or {}).get("code") or "CBEC-REF")
    return competencies, positions, csco, framework


def load_keyword_table(
    keywords_path: str | Path | None = None, reference_path: str | Path | None = None
) -> KeywordTable:
    """Load a framework's keyword table.

    Defaults: the shipped ``keywords.yaml`` and, when present, ``cbec_reference.yaml`` beside it, whose
    competency and position codes restrict the table and whose ``csco`` lists give each position's
    occupations. Pass ``reference_path`` explicitly to use another framework's file.
    """
    kw_path = Path(keywords_path) if keywords_path else REFERENCE_DIR / "keywords.yaml"
    with open(kw_path, encoding="utf-8") as fh:
        keywords = yaml.safe_load(fh) or {}
    ref_path = Path(reference_path) if reference_path else kw_path.parent / "cbec_reference.yaml"
    if not ref_path.exists():
        return build_keyword_table(keywords)
    with open(ref_path, encoding="utf-8") as fh:
        reference = yaml.safe_load(fh) or {}
    comp_codes, pos_codes, csco, framework = _reference_codes(reference)
    return build_keyword_table(
        keywords,
        framework=framework,
        position_csco=csco,
        competency_codes=comp_codes or None,
        position_codes=pos_codes or None,
    )
