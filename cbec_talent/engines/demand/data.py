"""Inputs and outputs of the demand engine: frozen dataclasses and numpy arrays only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

#: Kinds of pattern in the automaton, in the order used by TagColumns.kind.
KINDS = ("competency", "position", "platform", "language", "city", "education")


def _frozen(mapping: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in mapping.items()})


@dataclass(frozen=True, eq=False)
class KeywordTable:
    """Everything the tagger looks for, built from one framework (see table.py).

    Each mapping is code -> keywords (both languages together). Keywords are matched case-insensitively;
    keywords made of Latin letters or digits match whole words only. ``position_csco`` maps a position code
    to its CSCO 2022 occupation codes. ``capitalised`` lists keywords that count only when written with a
    capital letter in the posting (platform names that are also common words, e.g. "Wish").
    Identity equality: a table is compiled once and cached per object.
    """

    framework: str
    competencies: Mapping[str, tuple[str, ...]]
    positions: Mapping[str, tuple[str, ...]]
    position_csco: Mapping[str, tuple[str, ...]]
    platforms: Mapping[str, tuple[str, ...]]
    languages: Mapping[str, tuple[str, ...]]
    cities: Mapping[str, tuple[str, ...]]
    education: Mapping[str, tuple[str, ...]]
    capitalised: frozenset[str] = frozenset()
    #: The occupation coder (engines.demand.occupation.OccupationCoder) used for the ``csco`` codes; None: the
    #: default coder (vendored classification, the development cases read in place). A product passes one with
    #: its corrections.
    occupation_coder: object | None = None

    def __post_init__(self) -> None:
        for name in ("competencies", "positions", "position_csco", "platforms", "languages", "cities", "education"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def codes(self, kind: str) -> tuple[str, ...]:
        """The codes of one kind (a name in KINDS), in table order."""
        return tuple(self.keywords(kind).keys())

    def keywords(self, kind: str) -> Mapping[str, tuple[str, ...]]:
        """Code -> keywords of one kind (a name in KINDS), in table order."""
        return getattr(self, _KIND_FIELD[kind])


_KIND_FIELD = {
    "competency": "competencies",
    "position": "positions",
    "platform": "platforms",
    "language": "languages",
    "city": "cities",
    "education": "education",
}


@dataclass(frozen=True)
class Posting:
    """One job posting. ``text`` is the description; ``posted`` is YYYY-MM-DD, YYYY-MM or MM-DD."""

    title: str = ""
    text: str = ""
    location: str = ""
    posted: str = ""
    company: str = ""
    id: str = ""


@dataclass(frozen=True)
class Hit:
    """A code found in a posting with the matched text (evidence), deduplicated, in order of appearance."""

    code: str
    evidence: tuple[str, ...]


CompetencyHit = Hit


@dataclass(frozen=True)
class Salary:
    """A stated salary. Amounts are in ``currency`` units per ``period`` (month, year, day or hour);
    ``high`` is None for "from X" offers. ``monthly()`` converts year amounts to months (12 per year)."""

    low: float
    high: float | None
    currency: str
    period: str
    evidence: str

    def monthly(self) -> tuple[float, float | None]:
        """(low, high) per month; day and hour rates use 21.75 days and 8 hours a day."""
        factor = {"month": 1.0, "year": 1 / 12, "day": 21.75, "hour": 21.75 * 8}[self.period]
        return self.low * factor, None if self.high is None else self.high * factor


@dataclass(frozen=True)
class Experience:
    """Experience asked: at least ``min_years`` (0 = none needed), at most ``max_years`` when a range."""

    min_years: float
    max_years: float | None
    evidence: str


@dataclass(frozen=True)
class TagResult:
    """What the tagger found in one posting."""

    competencies: tuple[Hit, ...]
    position: str | None
    position_evidence: str | None
    csco: tuple[str, ...]  # ranked CSCO 2022 codes of the title, best first (the occupation coder)
    platforms: tuple[Hit, ...]
    languages: tuple[Hit, ...]
    city: str | None
    salary: Salary | None
    experience: Experience | None
    education: str | None
    month: str | None
    #: The ranked CSCO 2022 occupations of the title (OccupationMatch: code, name, score, evidence); ``csco``
    #: holds their codes, best first.
    occupations: tuple = ()

    @property
    def competency_codes(self) -> tuple[str, ...]:
        return tuple(h.code for h in self.competencies)


@dataclass(frozen=True)
class TagColumns:
    """Columnar tags of a batch: one row per (document, kind, code) found, plus one position per document.

    ``doc``, ``kind`` (index into KINDS) and ``code`` (index into ``table.codes(kind)``) have one row per
    distinct code found in a document, ordered by document. ``position`` holds the index of each document's
    position in ``table.codes("position")``, -1 for none.
    """

    n_docs: int
    doc: np.ndarray
    kind: np.ndarray
    code: np.ndarray
    position: np.ndarray


@dataclass(frozen=True)
class SkillRank:
    """One row of the top-skill ranking: postings asking the competency and their share of all postings."""

    rank: int
    code: str
    postings: int
    share: float


@dataclass(frozen=True)
class Trend:
    """Postings per month (rows: ``months``) and code (columns: ``codes``), with each code's least-squares
    slope in postings per month (0 when fewer than two months)."""

    kind: str
    months: tuple[str, ...]
    codes: tuple[str, ...]
    counts: np.ndarray
    slope: np.ndarray


@dataclass(frozen=True)
class DemandFigures:
    """Aggregate demand over a set of tag results: postings counted once per code."""

    postings: int
    by_competency: Mapping[str, int]
    by_position: Mapping[str, int]
    by_occupation: Mapping[str, int]
    by_platform: Mapping[str, int]
    by_language: Mapping[str, int]
    by_city: Mapping[str, int]
    by_month: Mapping[str, int]
    by_education: Mapping[str, int]
    with_position: int
    with_salary: int
    salary_monthly_median: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class FiguresPart:
    """The demand figures of one chunk of postings, with the monthly CNY salary midpoints per position that
    the median needs when chunks are merged (aggregate.merge_parts)."""

    figures: DemandFigures
    salary_midpoints: Mapping[str, tuple[float, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Quality:
    """Tagging quality on a labelled set: micro-averaged competency precision, recall and F1 over
    (sentence, code) pairs, and position accuracy over titles (none counts as a label)."""

    precision: float
    recall: float
    f1: float
    position_accuracy: float
    sentences: int
    titles: int
    per_code_f1: Mapping[str, float]
    errors: tuple[str, ...]
