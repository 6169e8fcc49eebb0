"""Class selection (order classes, the entrepreneurial class): weighted ranking within a quota.

Rule: candidates are ordered by total = sum_k weight_k * score_k (highest first; totals equal to 9
decimal places count as equal); equal totals are ordered by the raw score on the first criterion (higher
first), then the second, and so on; if all criteria are equal, by student number (lower first, compared as
text).  The first ``quota`` candidates are selected.  Every entry carries its per-criterion contributions
and, when it tied with the candidate just above it, the rule that decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .data import CriterionContribution, SelectionEntry, SelectionResult

_DECIMALS = 9


def rank_for_selection(
    scores: np.ndarray,
    weights: Sequence[float],
    quota: int,
    criteria: Sequence[str],
    student_numbers: Sequence[str],
) -> SelectionResult:
    """Rank candidates (rows of ``scores``, one column per criterion in ``criteria`` order) by the rule in
    the module docstring and mark the first ``quota`` as selected."""
    x = np.asarray(scores, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    n, k = x.shape if x.ndim == 2 else (0, 0)
    if x.ndim != 2 or k != len(criteria) or w.shape != (k,):
        raise ValueError("scores must be (candidates, criteria) with one weight and one name per criterion")
    if len(student_numbers) != n or len(set(student_numbers)) != n:
        raise ValueError("give one distinct student number per candidate")
    if np.isnan(x).any() or (w < 0).any() or quota < 0:
        raise ValueError("scores must not be NaN; weights and quota must be non-negative")
    contrib = x * w
    total = np.round(contrib.sum(axis=1), _DECIMALS)
    numbers = np.array([str(s) for s in student_numbers], dtype=object)
    number_order = np.empty(n, dtype=np.int64)
    number_order[np.argsort(numbers.astype(str), kind="stable")] = np.arange(n)
    keys = [number_order] + [-x[:, j] for j in range(k - 1, -1, -1)] + [-total]
    order = np.lexsort(keys) if n else np.zeros(0, dtype=np.int64)

    entries = []
    for pos, s in enumerate(order):
        note = ""
        if pos and total[order[pos - 1]] == total[s]:
            prev = order[pos - 1]
            diff = np.flatnonzero(x[prev] != x[s])
            if diff.size:
                j = int(diff[0])
                note = f"equal total {total[s]:g}; decided by {criteria[j]} ({x[prev, j]:g} > {x[s, j]:g})"
            else:
                note = f"equal on total and every criterion; decided by student number ({numbers[prev]} < {numbers[s]})"
        entries.append(
            SelectionEntry(
                position=pos + 1,
                student=int(s),
                student_number=str(numbers[s]),
                total=float(total[s]),
                selected=pos < quota,
                contributions=tuple(
                    CriterionContribution(criteria[j], float(x[s, j]), float(w[j]), float(contrib[s, j]))
                    for j in range(k)
                ),
                tie_break=note,
            )
        )
    boundary = 0 < quota < n and total[order[quota - 1]] == total[order[quota]]
    rule = (
        "total of weight x score, highest first; ties: higher "
        + ", then ".join(criteria)
        + ", then lower student number"
    )
    return SelectionResult(
        criteria=tuple(criteria),
        weights=tuple(float(v) for v in w),
        quota=int(quota),
        rule=rule,
        entries=tuple(entries),
        boundary_tie=bool(boundary),
    )


@dataclass(frozen=True)
class TieBreak:
    """How one entry was ordered against the entry just above it when their totals were equal (structured, so
    that a caller can word it in any language). ``criterion`` is -1 when the student number decided."""

    position: int  # the entry's 1-based position
    criterion: int  # index into the criteria, or -1 for the student number
    above_score: float  # the entry above: its score on the deciding criterion (NaN when the number decided)
    own_score: float
    above_number: str
    own_number: str

    @property
    def by_student_number(self) -> bool:
        return self.criterion < 0


def tie_breaks(result: SelectionResult) -> tuple[TieBreak | None, ...]:
    """One item per entry of ``result`` (same order): None when the entry's total differs from the one above,
    else which rule ordered the two (first differing criterion, else the student number)."""
    out: list[TieBreak | None] = []
    previous = None
    for entry in result.entries:
        item = None
        if previous is not None and previous.total == entry.total:
            for j, (a, b) in enumerate(zip(previous.contributions, entry.contributions, strict=True)):
                if a.score != b.score:
                    item = TieBreak(entry.position, j, a.score, b.score, previous.student_number, entry.student_number)
                    break
            else:
                nan = float("nan")
                item = TieBreak(entry.position, -1, nan, nan, previous.student_number, entry.student_number)
        out.append(item)
        previous = entry
    return tuple(out)
