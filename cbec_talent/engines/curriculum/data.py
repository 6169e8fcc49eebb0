"""Frozen inputs and outputs of the curriculum engine (no Django, no app imports).

Strength of a course-competency support link: ``H`` (high), ``M`` (medium), ``L`` (low); numerically
``STRENGTH_VALUE`` = 3 / 2 / 1 "strength units". Proficiency levels ``aware`` < ``apply`` < ``master`` rank
1 / 2 / 3 (``LEVEL_RANK``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

STRENGTH_VALUE: Mapping[str, int] = {"H": 3, "M": 2, "L": 1}
LEVEL_RANK: Mapping[str, int] = {"aware": 1, "apply": 2, "master": 3}
TEACHING_MODES = ("school", "enterprise", "teaching_factory")
STAGES = ("theory", "cognitive", "simulation", "operation", "certification")


@dataclass(frozen=True)
class Text:
    """A bilingual text."""

    zh: str
    en: str


@dataclass(frozen=True)
class Bounds:
    """Inclusive bounds; ``None`` means unbounded on that side."""

    min: float | None = None
    max: float | None = None

    def contains(self, value: float, tol: float = 1e-9) -> bool:
        return (self.min is None or value >= self.min - tol) and (self.max is None or value <= self.max + tol)


@dataclass(frozen=True)
class Support:
    """A course supports a competency with strength H/M/L."""

    competency: str
    strength: str


@dataclass(frozen=True)
class Module:
    code: str
    name: Text


@dataclass(frozen=True)
class Course:
    """A course. In a programme ``semesters`` are the semesters it is scheduled in (credits and hours are
    spread evenly over them); in an optimiser catalogue they are the semesters it may be offered in (the
    optimiser picks one)."""

    code: str
    name: Text
    module: str
    credits: float
    theory_hours: int
    practice_hours: int
    semesters: tuple[int, ...]
    required: bool = True
    prerequisites: tuple[str, ...] = ()
    teaching_mode: str = "school"
    stage: str = "theory"
    supports: tuple[Support, ...] = ()

    @property
    def total_hours(self) -> int:
        return self.theory_hours + self.practice_hours


@dataclass(frozen=True)
class RequiredCompetency:
    competency: str
    level: str


@dataclass(frozen=True)
class Position:
    """A target position and the competencies (with levels) it requires."""

    code: str
    name: Text
    directions: tuple[str, ...]
    requirements: tuple[RequiredCompetency, ...]


@dataclass(frozen=True)
class Targets:
    """The programme's targets (all optional)."""

    total_credits: Bounds | None = None
    total_hours: Bounds | None = None
    theory_share: Bounds | None = None  # theory hours / total hours, 0..1
    semester_credits: Bounds | None = None  # per-semester credit load
    semester_hours: Bounds | None = None  # per-semester hour load
    module_min_credits: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class StatedRow:
    """Figures a source document states for one module row (or the total row, ``module`` = "TOTAL")."""

    module: str
    credits: float | None = None
    percent: float | None = None
    total_hours: float | None = None
    theory_hours: float | None = None
    practice_hours: float | None = None


@dataclass(frozen=True)
class StatedTable:
    source: str
    rows: tuple[StatedRow, ...]
    theory_practice_ratio: str | None = None  # e.g. "62:38"


@dataclass(frozen=True)
class ProgrammeDocument:
    code: str
    name: Text
    semesters: int
    modules: tuple[Module, ...]
    courses: tuple[Course, ...]
    targets: Targets
    positions: tuple[Position, ...] = ()
    stated: StatedTable | None = None
    source: str = ""


@dataclass(frozen=True)
class AllocationRow:
    """One row of the credit and hour allocation table. ``percent`` is the integer share of credits
    (largest-remainder rounding, see ``arithmetic``); ``percent_exact`` is unrounded."""

    module: str
    name: Text
    credits: float
    percent: int
    percent_exact: float
    total_hours: int
    theory_hours: int
    practice_hours: int
    ratio: str  # theory:practice in integer percent, e.g. "91:9"


@dataclass(frozen=True)
class Discrepancy:
    """A figure stated in a source document that disagrees with the figure computed from its courses."""

    figure: str  # e.g. "TOTAL.theory_practice_ratio", "GC.credits"
    stated: str
    computed: str
    message: Text


@dataclass(frozen=True)
class AllocationTable:
    rows: tuple[AllocationRow, ...]
    total: AllocationRow
    theory_share: float  # exact, 0..1
    discrepancies: tuple[Discrepancy, ...] = ()


@dataclass(frozen=True)
class ValidationIssue:
    rule: str  # credits_total, hours_total, theory_share, prerequisites,
    severity: str  # semester_load, module_minimum, high_support, orphan_course
    subject: str  # course / semester / competency / "programme"
    message: Text


@dataclass(frozen=True)
class CoverageEntry:
    competency: str
    level: str  # highest level required by the positions in scope
    positions: tuple[str, ...]
    strength: int  # sum of strength units of supporting courses
    max_strength: str | None  # best link strength, None when uncovered
    semesters: tuple[int, ...]
    courses: tuple[str, ...]
    status: str  # "covered" | "weak" | "uncovered"


@dataclass(frozen=True)
class CoverageReport:
    """Competencies (rows) x semesters (columns) strength-unit matrix for a heatmap, plus entries."""

    scope: str  # position code, direction code or "ALL"
    competencies: tuple[str, ...]
    semesters: tuple[int, ...]
    matrix: tuple[tuple[int, ...], ...]
    entries: tuple[CoverageEntry, ...]
    uncovered: tuple[CoverageEntry, ...]


@dataclass(frozen=True)
class CertificateModuleNeed:
    """"Prepare certificate X at level Y": module ``module`` of certificate ``certificate`` (examined at ``level``)
    needs at least one chosen course among ``courses`` (the courses mapped to prepare it, 课证融通) and, when
    ``min_hours`` > 0, at least that many of their hours (``hours`` per course)."""

    certificate: str
    level: str
    module: str
    courses: tuple[str, ...]
    hours: tuple[float, ...] = ()
    min_hours: float = 0.0


@dataclass(frozen=True)
class OptimiserRequest:
    """Choose and schedule catalogue courses to maximise sum_k weight_k * min(1, S_k / saturation_k), where
    S_k is the strength units of chosen courses supporting competency k."""

    catalogue: tuple[Course, ...]
    semesters: int
    weights: Mapping[str, float]
    saturation: Mapping[str, float] = field(default_factory=dict)  # default DEFAULT_SATURATION
    total_credits: Bounds | None = None
    total_hours: Bounds | None = None
    theory_share: Bounds | None = None
    semester_credits: Bounds | None = None
    required: tuple[str, ...] = ()
    module_min_credits: Mapping[str, float] = field(default_factory=dict)
    high_support: tuple[str, ...] = ()  # competencies that need >= 1 chosen H course
    certificate_modules: tuple[CertificateModuleNeed, ...] = ()  # modules of certificates to prepare
    time_limit: float = 60.0
    mip_gap: float = 0.0


@dataclass(frozen=True)
class PlannedCourse:
    code: str
    semester: int


@dataclass(frozen=True)
class BindingConstraint:
    group: str
    name: str
    value: float
    limit: float
    why: Text


@dataclass(frozen=True)
class Conflict:
    """A minimal set of constraint groups that cannot hold together (deletion filter)."""

    groups: tuple[str, ...]
    message: Text
    members: tuple[str, ...] = ()  # for required courses / module minimums / high support: which rows


@dataclass(frozen=True)
class OptimiserResult:
    status: str  # "optimal" | "feasible" (gap left) | "infeasible" | "time_limit" (no plan) | "error"
    plan: tuple[PlannedCourse, ...]
    objective: float
    bound: float
    gap: float
    proven_optimal: bool
    binding: tuple[BindingConstraint, ...]
    conflict: Conflict | None
    coverage: Mapping[str, float]
    totals: Mapping[str, float]
    seconds: float
