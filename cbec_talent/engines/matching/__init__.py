"""Matching engine: stable student -> internship post matching with capacities, explanations, checks of
hand-edited assignments, fit scores and weighted class selection.  Pure Python + numpy."""

from .data import (
    NOT_ACCEPTABLE,
    REASON_CODES,
    UNMATCHED,
    AssignmentCheck,
    BlockingPair,
    CapacityViolation,
    CompetencyGap,
    CriterionContribution,
    InternshipPost,
    InvalidAssignment,
    MatchExplanation,
    MatchingInstance,
    MatchReason,
    MatchResult,
    Reason,
    SelectionEntry,
    SelectionResult,
)
from .deferred_acceptance import match_students
from .explain import describe, explain_matches, match_reasons, reasons_for
from .fit import application_fit_scores, fit_scores, language_column, post_capacities, requirement_matrix
from .instance import MatchingInputError, build_instance, instance_from_lists, ranks_from_scores
from .selection import rank_for_selection
from .stability import assignment_stats, blocking_mask, check_assignment, is_stable

__all__ = [
    "NOT_ACCEPTABLE",
    "REASON_CODES",
    "UNMATCHED",
    "AssignmentCheck",
    "BlockingPair",
    "CapacityViolation",
    "CompetencyGap",
    "CriterionContribution",
    "InternshipPost",
    "InvalidAssignment",
    "MatchExplanation",
    "MatchReason",
    "MatchResult",
    "MatchingInputError",
    "MatchingInstance",
    "Reason",
    "SelectionEntry",
    "SelectionResult",
    "application_fit_scores",
    "assignment_stats",
    "blocking_mask",
    "build_instance",
    "check_assignment",
    "describe",
    "explain_matches",
    "fit_scores",
    "instance_from_lists",
    "is_stable",
    "language_column",
    "match_reasons",
    "match_students",
    "post_capacities",
    "rank_for_selection",
    "reasons_for",
    "ranks_from_scores",
    "requirement_matrix",
]
