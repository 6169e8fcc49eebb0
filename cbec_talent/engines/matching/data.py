"""Inputs and outputs of the matching engine: frozen dataclasses holding numpy arrays.

Students and posts are numbered 0..n-1 (the Django side keeps the mapping to its primary keys).
Applications are stored as CSR arrays: student ``s`` applied, in order of preference (best first), to
``pref_posts[pref_indptr[s]:pref_indptr[s + 1]]``.  ``post_rank[k]`` is the place the enterprise gives the
applicant of application ``k`` among everyone who applied to that post (0 = best; unique within a post), or
``-1`` when the enterprise declines the applicant outright.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

UNMATCHED = -1
"""Value of ``MatchResult.post_of_student`` for a student who got no post."""

NOT_ACCEPTABLE = -1
"""Value of ``MatchingInstance.post_rank`` for an applicant the enterprise declines."""


@dataclass(frozen=True)
class InternshipPost:
    """One internship post as the enterprise published it.

    ``required_competencies`` pairs a competency code (FRAMEWORK.md) with the attainment level required
    (0..1); ``languages`` are language codes the post requires (column ``"lang:<code>"``, level 1).
    ``requirement_matrix`` and ``post_capacities`` turn a list of posts into engine arrays.
    """

    post_id: str
    enterprise: str
    position: str
    seats: int
    required_competencies: tuple[tuple[str, float], ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class MatchingInstance:
    """A many-to-one matching problem (students -> posts with seats). Build it with ``build_instance``."""

    capacity: np.ndarray  # (P,) int64 seats per post
    pref_indptr: np.ndarray  # (S + 1,) int64
    pref_posts: np.ndarray  # (A,) int64, post of each application, best preference first per student
    post_rank: np.ndarray  # (A,) int64, enterprise's rank of the applicant (0 best) or NOT_ACCEPTABLE
    post_score: np.ndarray | None = None  # (A,) float64 fit score the ranks came from, if any

    @property
    def n_students(self) -> int:
        return int(self.pref_indptr.shape[0] - 1)

    @property
    def n_posts(self) -> int:
        return int(self.capacity.shape[0])

    @property
    def n_applications(self) -> int:
        return int(self.pref_posts.shape[0])

    def application_student(self) -> np.ndarray:
        """(A,) student index of every application."""
        return np.repeat(np.arange(self.n_students, dtype=np.int64), np.diff(self.pref_indptr))

    def application_choice(self) -> np.ndarray:
        """(A,) 0-based preference position of every application within its student's list."""
        starts = np.repeat(self.pref_indptr[:-1], np.diff(self.pref_indptr))
        return np.arange(self.n_applications, dtype=np.int64) - starts


@dataclass(frozen=True, eq=False)
class MatchResult:
    """Outcome of student-proposing deferred acceptance."""

    post_of_student: np.ndarray  # (S,) int64 post index or UNMATCHED
    application_of_student: np.ndarray  # (S,) int64 index into the application arrays or -1
    choice_of_student: np.ndarray  # (S,) int64 0-based preference position obtained or -1
    filled: np.ndarray  # (P,) int64 seats taken
    cutoff_rank: np.ndarray  # (P,) int64 worst admitted rank when the post is full, else -1
    rounds: int  # proposal rounds the algorithm needed


@dataclass(frozen=True)
class Reason:
    """Why the student did not get one post he or she preferred to the post obtained."""

    post: int
    choice: int  # 0-based preference position of this post in the student's list
    kind: str  # "full_of_better_ranked" | "not_acceptable" | "blocking" (only for unstable assignments)
    capacity: int
    filled: int
    student_rank: int  # the enterprise's rank of this student (-1 when not acceptable)
    cutoff_rank: int  # rank of the lowest-ranked student admitted (-1 when the post has a free seat)
    student_score: float | None = None
    cutoff_score: float | None = None


@dataclass(frozen=True)
class MatchExplanation:
    """Why student ``student`` holds ``post`` (UNMATCHED if none) and not any higher preference."""

    student: int
    post: int
    choice: int  # 0-based preference position obtained, -1 if unmatched
    student_rank: int  # the enterprise's rank of this student at ``post`` (-1 if unmatched)
    higher: tuple[Reason, ...]  # one entry per post ranked above ``post`` (all posts if unmatched)

    @property
    def justified(self) -> bool:
        """True when every higher preference is explained by a full post or a refusal (no blocking pair)."""
        return all(r.kind != "blocking" for r in self.higher)


@dataclass(frozen=True)
class CapacityViolation:
    post: int
    assigned: int
    capacity: int


@dataclass(frozen=True)
class BlockingPair:
    """Student and post who both prefer each other to the assignment (post has a seat or a worse student)."""

    student: int
    post: int
    choice: int  # preference position of ``post`` in the student's list
    student_rank: int
    reason: str  # "free_seat" | "outranks_admitted"
    displaced_student: int  # the post's worst-ranked admitted student when reason is outranks_admitted, else -1


@dataclass(frozen=True)
class InvalidAssignment:
    """A student placed where he or she did not apply, or where the enterprise declined him or her."""

    student: int
    post: int
    reason: str  # "not_applied" | "not_acceptable" | "unknown_post"


@dataclass(frozen=True)
class AssignmentCheck:
    """Result of ``check_assignment``: empty tuples everywhere means stable, valid and within capacity."""

    capacity_violations: tuple[CapacityViolation, ...]
    blocking_pairs: tuple[BlockingPair, ...]
    invalid: tuple[InvalidAssignment, ...]

    @property
    def ok(self) -> bool:
        return not (self.capacity_violations or self.blocking_pairs or self.invalid)


@dataclass(frozen=True)
class CriterionContribution:
    criterion: str
    score: float
    weight: float
    contribution: float  # weight * score


@dataclass(frozen=True)
class SelectionEntry:
    """One candidate's place in a class selection ranking, with the arithmetic behind it."""

    position: int  # 1-based place in the ranking
    student: int  # index in the input
    student_number: str
    total: float
    selected: bool
    contributions: tuple[CriterionContribution, ...]
    tie_break: str = ""  # how this candidate was ordered against an equal-total predecessor, "" if no tie


@dataclass(frozen=True)
class SelectionResult:
    """Ranking of candidates for an order class / entrepreneurial class, best first."""

    criteria: tuple[str, ...]
    weights: tuple[float, ...]
    quota: int
    rule: str  # the stated ordering and tie-break rule in words
    entries: tuple[SelectionEntry, ...]
    boundary_tie: bool = field(default=False)  # last selected and first rejected have equal totals

    @property
    def selected(self) -> tuple[int, ...]:
        return tuple(e.student for e in self.entries if e.selected)


REASON_CODES = (
    "placed",  # got ``post`` as preference ``preference``, ranked ``student_rank`` of ``applicants`` there
    "fit",  # fit ``score`` at the post obtained; which required competencies are ``met`` / ``missing``
    "higher_full",  # a better-preferred post was full of applicants its enterprise ranked higher
    "higher_no_seats",  # a better-preferred post had no seats at all
    "higher_declined",  # the enterprise of a better-preferred post declined the student
    "higher_blocking",  # a better-preferred post had room for the student (only in hand-edited assignments)
    "unplaced",  # no post: every one of the ``preference`` posts listed was full or declined
    "no_preferences",  # no post: the student listed no post
)
"""Codes of ``MatchReason``; the Django side words each code in the user's language."""


@dataclass(frozen=True)
class CompetencyGap:
    """A required competency the student has not reached at the post: required and attained level (0..1)."""

    code: str
    required: float
    attained: float


@dataclass(frozen=True)
class MatchReason:
    """One structured reason behind a placement: a ``code`` from ``REASON_CODES`` and its parameters.

    Ranks and preferences are 1-based (as people count); ``post`` is the post index (-1 for none) and
    ``post_label`` its name when the caller supplied names.  ``to_dict`` gives a JSON-ready form that keeps
    only the parameters that are set.
    """

    code: str
    preference: int = 0  # 1-based position in the student's list of the post concerned (0 = none)
    post: int = -1
    post_label: str = ""
    student_rank: int = 0  # 1-based rank the enterprise gave the student (0 = not ranked / declined)
    applicants: int = 0  # applicants the enterprise ranked (accepted) at the post
    seats: int = 0
    filled: int = 0
    cutoff_rank: int = 0  # 1-based rank of the last admitted applicant (0 = none)
    score: float | None = None  # the student's fit score at the post (0..1)
    cutoff_score: float | None = None  # fit score of the last admitted applicant
    met: tuple[str, ...] = ()  # required competencies the student reaches
    missing: tuple[CompetencyGap, ...] = ()  # required competencies the student falls short of

    def __post_init__(self) -> None:
        if self.code not in REASON_CODES:
            raise ValueError(f"unknown reason code {self.code!r}")

    def to_dict(self) -> dict:
        out: dict = {"code": self.code}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("code", "met", "missing"):
                continue
            if value != f.default or (
                f.name in ("seats", "filled") and self.code in ("higher_full", "higher_blocking")
            ):
                out[f.name] = value
        if self.met:
            out["met"] = list(self.met)
        if self.missing:
            out["missing"] = [{"code": g.code, "required": g.required, "attained": g.attained} for g in self.missing]
        return out
