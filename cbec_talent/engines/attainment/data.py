"""Inputs and outputs of the attainment engine (达成度): frozen dataclasses and numpy arrays only.

Vocabulary (see docs GLOSSARY): an *assessment plan* (考核方案) lists, per course, its *components*
(考核环节) with a *weight* (权重) and the course objectives (课程目标) and competencies (能力 / 毕业要求) each
component evidences. A *support matrix* (课程对能力支撑矩阵) says how strongly (H/M/L) each course supports
each competency. Component scores are on the plan's scale ``0 .. full_marks``; attainment values are
fractions of full marks, ``0 .. 1``.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

import numpy as np


class ComponentKind(enum.StrEnum):
    """Kind of assessment component; `is_practice_by_default` feeds the "practice counts at least" rule."""

    THEORY_EXAM = "theory_exam"
    PRACTICAL_TASK = "practical_task"
    PLATFORM_OPERATION = "platform_operation"
    SIMULATION = "simulation"
    ENTERPRISE_TUTOR = "enterprise_tutor"
    CERTIFICATION_EXAM = "certification_exam"
    COMPETITION = "competition"

    @property
    def label_zh(self) -> str:
        return _KIND_ZH[self]

    @property
    def label_en(self) -> str:
        return _KIND_EN[self]


_KIND_ZH = {
    ComponentKind.THEORY_EXAM: "理论考试",
    ComponentKind.PRACTICAL_TASK: "实践任务",
    ComponentKind.PLATFORM_OPERATION: "平台实操",
    ComponentKind.SIMULATION: "模拟实训成绩",
    ComponentKind.ENTERPRISE_TUTOR: "企业导师评价",
    ComponentKind.CERTIFICATION_EXAM: "认证考试",
    ComponentKind.COMPETITION: "技能竞赛",
}
_KIND_EN = {
    ComponentKind.THEORY_EXAM: "theory exam",
    ComponentKind.PRACTICAL_TASK: "practical task",
    ComponentKind.PLATFORM_OPERATION: "platform operation",
    ComponentKind.SIMULATION: "simulation result",
    ComponentKind.ENTERPRISE_TUTOR: "enterprise tutor's evaluation",
    ComponentKind.CERTIFICATION_EXAM: "certification exam",
    ComponentKind.COMPETITION: "competition",
}

#: Kinds counted as practice by `PlanRules` unless a college says otherwise.
DEFAULT_PRACTICE_KINDS: frozenset[ComponentKind] = frozenset(
    {
        ComponentKind.PRACTICAL_TASK,
        ComponentKind.PLATFORM_OPERATION,
        ComponentKind.SIMULATION,
        ComponentKind.ENTERPRISE_TUTOR,
        ComponentKind.COMPETITION,
    }
)


@dataclass(frozen=True)
class Component:
    """One assessment component of a course.

    ``objectives`` are course-local objective codes (e.g. ``"CO1"``); ``competencies`` are framework codes
    (e.g. ``"OPS.PLATFORM"``) the component evidences directly. Both may be empty: then the component counts
    towards every objective and every competency its course supports.
    """

    code: str
    kind: ComponentKind
    weight: float
    objectives: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class CourseObjective:
    """A course objective (课程目标) and the competencies it serves."""

    code: str
    competencies: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class CoursePlan:
    """The assessment plan of one course: components whose weights must sum to ``declared_total``.

    ``declared_total`` is 100 for weights written as percentages or 1 for fractions; ``full_marks`` is the
    top of the score scale every component of this course is marked on.
    """

    course: str
    components: tuple[Component, ...]
    objectives: tuple[CourseObjective, ...] = ()
    declared_total: float = 100.0
    full_marks: float = 100.0
    tolerance: float = 1e-6

    @property
    def weight_sum(self) -> float:
        return math.fsum(c.weight for c in self.components)

    @property
    def weights_ok(self) -> bool:
        return abs(self.weight_sum - self.declared_total) <= self.tolerance * max(1.0, self.declared_total)


@dataclass(frozen=True)
class PlanRules:
    """College-wide rules an assessment plan is checked against (None disables a rule).

    ``min_practice_share``: practice kinds must carry at least this share of the weight (e.g. 0.4).
    ``max_component_share``: no single component may carry more than this share (e.g. 0.6 for the exam).
    ``require_kinds``: kinds every course must include (e.g. the enterprise tutor's evaluation).
    """

    min_practice_share: float | None = None
    max_component_share: float | None = None
    require_kinds: frozenset[ComponentKind] = frozenset()
    practice_kinds: frozenset[ComponentKind] = DEFAULT_PRACTICE_KINDS


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One finding of `check_plan`, bilingual: a rule code, the course, and the message in zh and en."""

    code: str
    severity: Severity
    course: str
    message_zh: str
    message_en: str
    component: str | None = None


class Strength(enum.StrEnum):
    HIGH = "H"
    MEDIUM = "M"
    LOW = "L"


@dataclass(frozen=True)
class SupportMatrix:
    """Course x competency support strengths: ``strengths[i][j]`` is "H", "M", "L" or "" (no support)."""

    courses: tuple[str, ...]
    competencies: tuple[str, ...]
    strengths: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if len(self.strengths) != len(self.courses):
            raise ValueError("support matrix: one row of strengths per course")
        valid = {"", "H", "M", "L"}
        for course, row in zip(self.courses, self.strengths, strict=True):
            if len(row) != len(self.competencies):
                raise ValueError(f"support matrix: row for course {course!r} has the wrong length")
            bad = set(row) - valid
            if bad:
                raise ValueError(f"support matrix: course {course!r} has strengths {sorted(bad)}, not H/M/L")


class Method(enum.StrEnum):
    """Roll-up method chosen per programme (the three common in outcome-based accreditation).

    WEIGHTED_AVERAGE: a student's competency = support-weighted average of the evidence of its supporting
        courses; cohort value = mean over students.
    MINIMUM: a student's competency = minimum over supporting courses (取最小值法); cohort value = minimum
        over supporting courses of the cohort's mean course evidence.
    SHARE_OVER_THRESHOLD: a student's competency as in WEIGHTED_AVERAGE; cohort value = share of assessed
        students whose attainment is at least ``threshold``.
    """

    WEIGHTED_AVERAGE = "weighted_average"
    MINIMUM = "minimum"
    SHARE_OVER_THRESHOLD = "share_over_threshold"


class MissingPolicy(enum.StrEnum):
    """What a missing score (NaN: late evidence not yet in) means.

    RENORMALISE: average over the components (and courses) that are present; a value with no evidence at
        all stays NaN ("not yet assessed") and is left out of cohort figures.
    ZERO: a missing score counts as 0 (the strict end-of-term view); no NaN comes out.
    """

    RENORMALISE = "renormalise"
    ZERO = "zero"


@dataclass(frozen=True)
class RollupConfig:
    """Parameters of a programme's roll-up.

    ``strength_weights`` maps H/M/L to numbers (default 3/2/1). ``min_strength`` drops weaker links from
    the roll-up (e.g. "M": only H and M courses count). ``threshold`` is the share-over-threshold cut and
    ``target`` the programme's attainment target (both fractions of full marks); a student is *at risk* on
    a competency whose attainment is below ``risk_threshold``.
    """

    method: Method = Method.WEIGHTED_AVERAGE
    missing: MissingPolicy = MissingPolicy.RENORMALISE
    strength_weights: tuple[tuple[str, float], ...] = (("H", 3.0), ("M", 2.0), ("L", 1.0))
    min_strength: Strength = Strength.LOW
    threshold: float = 0.6
    target: float = 0.7
    risk_threshold: float = 0.6

    def strength_value(self, strength: str) -> float:
        order = {"L": 1, "M": 2, "H": 3}
        if not strength or order[strength] < order[self.min_strength.value]:
            return 0.0
        return float(dict(self.strength_weights)[strength])


@dataclass(frozen=True)
class ScoreTensor:
    """Component scores of a cohort: ``values[student, course, slot]`` on each course's scale.

    Courses follow ``courses`` (each must have a plan); slot k is the k-th component of the course's plan;
    slots beyond a course's component count are padding and ignored. NaN means "not yet in".
    """

    students: tuple[str, ...]
    courses: tuple[str, ...]
    values: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        v = self.values
        if v.ndim != 3 or v.shape[:2] != (len(self.students), len(self.courses)):
            raise ValueError(
                f"scores: expected shape ({len(self.students)}, {len(self.courses)}, slots), got {v.shape}"
            )
        if v.dtype not in (np.float32, np.float64):
            raise ValueError(f"scores: dtype must be float32 or float64, got {v.dtype}")


@dataclass(frozen=True)
class ComponentEvidence:
    """One component's part in a number: its weight (as declared and as used) and the student's score."""

    course: str
    component: str
    kind: ComponentKind
    declared_weight: float
    used_weight: float
    score: float
    full_marks: float
    missing: bool


@dataclass(frozen=True)
class CourseEvidence:
    """One supporting course's part in a competency value."""

    course: str
    strength: str
    support_weight: float
    value: float
    components: tuple[ComponentEvidence, ...]
    decisive: bool = False


@dataclass(frozen=True)
class Explanation:
    """Why a student's competency attainment is what it is: method, value, courses and components."""

    student: str
    competency: str
    method: Method
    missing: MissingPolicy
    value: float
    courses: tuple[CourseEvidence, ...]
    formula_en: str
    formula_zh: str


@dataclass(frozen=True)
class CohortCourse:
    """One supporting course's part in a cohort value: its support weight and the cohort's mean evidence."""

    course: str
    strength: str
    support_weight: float
    cohort_mean: float
    assessed: int
    decisive: bool = False


@dataclass(frozen=True)
class CohortExplanation:
    """Why a programme-level value is what it is: method, students counted, supporting courses."""

    competency: str
    method: Method
    value: float
    assessed: int
    students_at_or_over: int | None
    threshold: float | None
    courses: tuple[CohortCourse, ...]
    formula_en: str
    formula_zh: str


@dataclass(frozen=True)
class RiskFlag:
    """A student below ``risk_threshold`` on at least one competency, with those competencies and values."""

    student_index: int
    student: str
    competencies: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class CohortAttainment:
    """Programme-level attainment per competency, by the programme's method, against its target."""

    competencies: tuple[str, ...]
    method: Method
    values: np.ndarray = field(repr=False)
    assessed: np.ndarray = field(repr=False)
    target: float = 0.7

    @property
    def attained(self) -> np.ndarray:
        """Boolean per competency: the cohort value reaches the target (NaN never does)."""
        return np.nan_to_num(self.values, nan=-1.0) >= self.target
