"""Attainment engine (达成度): assessment plans -> course scores and objectives -> competencies (through the
course-competency support matrix) -> programme level, vectorised with numpy, NaN-aware, explainable.

Typical use::

    model = compile_model(plans, support, RollupConfig(method=Method.MINIMUM))
    result = roll_up(scores, model)           # scores: ScoreTensor [students, courses, component slots]
    result.competency                         # [students, competencies], fractions of full marks
    result.cohort().values                    # programme level by the programme's method
    result.at_risk()                          # students below the risk threshold, with the competencies
    explain(result, 17, "OPS.PLATFORM")       # courses, components, weights, scores behind a number
    check_plan(plan, PlanRules(min_practice_share=0.4))   # bilingual findings

Missing scores (NaN, late evidence) follow ``RollupConfig.missing``: RENORMALISE (default) averages over
what is present and leaves "no evidence yet" as NaN, kept out of cohort figures; ZERO counts them as 0.
Arithmetic stays in the scores' dtype (float32 is about twice as fast as float64 and exact to ~1e-7).
BLAS threads: in multi-process web workers set OPENBLAS_NUM_THREADS=1 (see bench/attainment_rollup.py).
"""

from .data import (
    DEFAULT_PRACTICE_KINDS,
    CohortAttainment,
    CohortCourse,
    CohortExplanation,
    Component,
    ComponentEvidence,
    ComponentKind,
    CourseEvidence,
    CourseObjective,
    CoursePlan,
    Explanation,
    Finding,
    Method,
    MissingPolicy,
    PlanRules,
    RiskFlag,
    RollupConfig,
    ScoreTensor,
    Severity,
    Strength,
    SupportMatrix,
)
from .explain import explain, explain_cohort, explain_course
from .model import AttainmentModel, PlanError, compile_model
from .plans import check_plan, check_support
from .rollup import (
    Attainment,
    cohort_attainment,
    competency_values,
    group_values,
    roll_up,
    students_at_risk,
)
from .scores import scores_from_records

__all__ = [
    "DEFAULT_PRACTICE_KINDS",
    "Attainment",
    "AttainmentModel",
    "CohortAttainment",
    "CohortCourse",
    "CohortExplanation",
    "Component",
    "ComponentEvidence",
    "ComponentKind",
    "CourseEvidence",
    "CourseObjective",
    "CoursePlan",
    "Explanation",
    "Finding",
    "Method",
    "MissingPolicy",
    "PlanError",
    "PlanRules",
    "RiskFlag",
    "RollupConfig",
    "ScoreTensor",
    "Severity",
    "Strength",
    "SupportMatrix",
    "check_plan",
    "check_support",
    "cohort_attainment",
    "competency_values",
    "compile_model",
    "explain",
    "explain_cohort",
    "explain_course",
    "group_values",
    "roll_up",
    "scores_from_records",
    "students_at_risk",
]
