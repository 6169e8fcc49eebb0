"""Curriculum engine: programme arithmetic, validation, coverage and the course-selection optimiser.

Pure Python (numpy, highspy, PyYAML); data in and out as the frozen dataclasses of ``data``.
"""

from .arithmetic import allocation_table, discrepancies, largest_remainder_percent, ratio_text
from .coverage import coverage, coverage_by_scope
from .data import (
    AllocationRow,
    AllocationTable,
    BindingConstraint,
    Bounds,
    CertificateModuleNeed,
    Conflict,
    Course,
    CoverageEntry,
    CoverageReport,
    Discrepancy,
    Module,
    OptimiserRequest,
    OptimiserResult,
    PlannedCourse,
    Position,
    ProgrammeDocument,
    RequiredCompetency,
    StatedRow,
    StatedTable,
    Support,
    Targets,
    Text,
    ValidationIssue,
)
from .greedy import greedy_plan
from .loader import Problem, ProgrammeDocumentError, load_programme_document, sample_programme_path
from .model import RequestError
from .optimiser import optimise, request_from_programme, weights_from_demand, weights_from_positions
from .plans import plan_objective, plan_violations
from .validation import semester_loads, validate_programme

__all__ = [
    "AllocationRow",
    "AllocationTable",
    "BindingConstraint",
    "Bounds",
    "Conflict",
    "Course",
    "CoverageEntry",
    "CoverageReport",
    "Discrepancy",
    "Module",
    "OptimiserRequest",
    "CertificateModuleNeed",
    "OptimiserResult",
    "PlannedCourse",
    "Position",
    "Problem",
    "ProgrammeDocument",
    "ProgrammeDocumentError",
    "RequestError",
    "RequiredCompetency",
    "StatedRow",
    "StatedTable",
    "Support",
    "Targets",
    "Text",
    "ValidationIssue",
    "allocation_table",
    "coverage",
    "coverage_by_scope",
    "discrepancies",
    "greedy_plan",
    "largest_remainder_percent",
    "load_programme_document",
    "optimise",
    "plan_objective",
    "plan_violations",
    "ratio_text",
    "request_from_programme",
    "sample_programme_path",
    "semester_loads",
    "validate_programme",
    "weights_from_demand",
    "weights_from_positions",
]
