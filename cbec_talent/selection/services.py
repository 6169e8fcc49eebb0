"""Writes of class selection: create, candidates (Excel import, scores by hand), rank with the engine, publish.

Any change to the candidates, their scores or the weights discards a stored ranking (it must be ranked again), and a
published selection is frozen.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cbec_talent.cohorts.models import Student
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.core.excel import read_workbook
from cbec_talent.engines.matching.selection import rank_for_selection, tie_breaks
from cbec_talent.partnerships.models import Agreement

from .models import COMPUTED_CRITERION, DEFAULT_CRITERIA, ClassSelection, SelectionCandidate

NUMBER_HEADERS = ("Student number", "学号", "number")
NAME_HEADERS = ("Name", "姓名", "name")
MAX_ROWS = 2000


def _clean(obj):
    obj.full_clean()
    obj.save()
    return obj


def _problems_from(exc) -> list[Problem]:
    out = []
    for field, messages in getattr(exc, "message_dict", {"__all__": getattr(exc, "messages", [str(exc)])}).items():
        for message in messages:
            out.append(Problem(message, field=None if field == "__all__" else field))
    return out


def _save(obj):
    from django.core.exceptions import ValidationError

    try:
        return _clean(obj)
    except ValidationError as exc:
        raise CbecError(_problems_from(exc)) from None


def _frozen(selection: ClassSelection) -> None:
    if selection.is_published:
        raise CbecError([Problem(_("This selection is published and can no longer be changed."))])


def _discard_ranking(selection: ClassSelection) -> None:
    if selection.ranked_at is not None or selection.candidates.exclude(rank=None).exists():
        selection.candidates.update(rank=None, total=None, selected=False, reasons={})
        selection.ranked_at = None
        selection.rule = ""
        selection.boundary_tie = False
        selection.save(update_fields=["ranked_at", "rule", "boundary_tie", "updated_at"])


@transaction.atomic
def selection_create(
    *,
    kind: str,
    title: str,
    agreement: Agreement | None = None,
    quota: int | None = None,
    criteria: list[dict] | None = None,
) -> ClassSelection:
    """A draft selection; the quota defaults to the agreement's quota, the criteria to paper 004's four."""
    if quota is None and agreement is not None:
        quota = agreement.quota
    if quota is None:
        raise CbecError([Problem(_("Give the quota (the agreement states none)."), field="quota")])
    criteria = [dict(c) for c in (criteria or DEFAULT_CRITERIA)]
    return _save(ClassSelection(kind=kind, title=title, agreement=agreement, quota=quota, criteria=criteria))


@transaction.atomic
def selection_settings_save(
    *, selection: ClassSelection, title: str, quota: int, weights: dict[str, float]
) -> ClassSelection:
    """Change the title, the quota and the weights (percent, adding up to 100) of a draft selection."""
    _frozen(selection)
    criteria = [{**c, "weight": float(weights.get(c["code"], c["weight"]))} for c in selection.criteria]
    changed = criteria != selection.criteria or quota != selection.quota
    selection.title, selection.quota, selection.criteria = title, quota, criteria
    _save(selection)
    if changed:
        _discard_ranking(selection)
    return selection


def _parse_score(value) -> float | None | str:
    """None for a blank cell, a float for a score in 0..100, else an error message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        x = float(str(value).strip().rstrip("%")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return _("not a number: %(v)s") % {"v": str(value)[:40]}
    if not math.isfinite(x) or not 0 <= x <= 100:
        return _("the score must be between 0 and 100, not %(v)s") % {"v": f"{x:g}"}
    return x


def _criterion_columns(selection: ClassSelection, headers: set[str]) -> dict[str, str]:
    """criterion code -> the header that holds it (its code, English or Chinese label)."""
    out = {}
    for c in selection.criteria:
        for candidate in (c["code"], c.get("label_en"), c.get("label_zh")):
            if candidate and candidate in headers:
                out[c["code"]] = candidate
                break
    return out


@transaction.atomic
def candidates_import(*, selection: ClassSelection, data: bytes) -> dict:
    """Add or update candidates from the first sheet of an Excel file: a student number column and one column per
    criterion (its code or its English or Chinese name); a blank cell leaves the score unset (professional ability
    then comes from the student's attainment). All or nothing: every problem is reported with its row and column."""
    _frozen(selection)
    sheets = read_workbook(data)
    if not sheets:
        raise CbecError([Problem(_("The workbook has no sheet."))])
    sheet, rows = next(iter(sheets.items()))
    headers = {h for _n, r in rows for h in r if h != "__extra__"}
    number_h = next((h for h in NUMBER_HEADERS if h in headers), None)
    columns = _criterion_columns(selection, headers)
    problems: list[Problem] = []
    if not rows:
        problems.append(Problem(_("The sheet has no candidates."), sheet=sheet))
    if number_h is None and rows:
        problems.append(Problem(_("No student number column (Student number / 学号)."), sheet=sheet, row=1))
    if not columns and rows:
        problems.append(Problem(_("No column names a criterion of this selection."), sheet=sheet, row=1))
    if len(rows) > MAX_ROWS:
        problems.append(Problem(_("At most %(n)d candidates per file.") % {"n": MAX_ROWS}, sheet=sheet))
    if problems:
        raise CbecError(problems)
    numbers = [str(r.get(number_h) or "").strip() for _n, r in rows]
    students = {s.number: s for s in Student.objects.filter(number__in=[n for n in numbers if n])}
    seen: dict[str, int] = {}
    parsed: list[tuple[Student, dict]] = []
    for (row_number, record), number in zip(rows, numbers, strict=True):
        if not number:
            problems.append(Problem(_("The student number is missing."), sheet=sheet, row=row_number, field=number_h))
            continue
        if number in seen:
            problems.append(
                Problem(
                    _("Student %(number)s is already on row %(row)d.") % {"number": number, "row": seen[number]},
                    sheet=sheet,
                    row=row_number,
                    field=number_h,
                )
            )
            continue
        seen[number] = row_number
        student = students.get(number)
        if student is None:
            problems.append(
                Problem(
                    _("No student has the number %(number)s.") % {"number": number},
                    sheet=sheet,
                    row=row_number,
                    field=number_h,
                )
            )
            continue
        scores = {}
        for code, header in columns.items():
            value = _parse_score(record.get(header))
            if isinstance(value, str):
                problems.append(Problem(value, sheet=sheet, row=row_number, field=header))
            elif value is not None:
                scores[code] = value
        parsed.append((student, scores))
    if problems:
        raise CbecError(problems)
    existing = {c.student_id: c for c in selection.candidates.all()}
    created = updated = 0
    for student, scores in parsed:
        candidate = existing.get(student.pk)
        if candidate is None:
            SelectionCandidate.objects.create(selection=selection, student=student, scores=scores)
            created += 1
        else:
            candidate.scores = {**candidate.scores, **{code: scores.get(code) for code in columns}}
            candidate.scores = {k: v for k, v in candidate.scores.items() if v is not None}
            candidate.save(update_fields=["scores", "updated_at"])
            updated += 1
    _discard_ranking(selection)
    return {"created": created, "updated": updated}


@transaction.atomic
def candidate_scores_set(*, candidate: SelectionCandidate, scores: dict[str, float | None]) -> SelectionCandidate:
    """Set (or clear, with None) scores entered by hand; a cleared professional ability falls back to attainment."""
    selection = candidate.selection
    _frozen(selection)
    codes = set(selection.criterion_codes)
    problems = []
    merged = dict(candidate.scores)
    for code, value in scores.items():
        if code not in codes:
            problems.append(Problem(_("Unknown criterion."), field=code))
            continue
        parsed = _parse_score(value)
        if isinstance(parsed, str):
            problems.append(Problem(parsed, field=code))
        elif parsed is None:
            merged.pop(code, None)
        else:
            merged[code] = parsed
    if problems:
        raise CbecError(problems)
    if merged != candidate.scores:
        candidate.scores = merged
        candidate.save(update_fields=["scores", "updated_at"])
        _discard_ranking(selection)
    return candidate


@transaction.atomic
def candidate_remove(*, candidate: SelectionCandidate) -> None:
    selection = candidate.selection
    _frozen(selection)
    candidate.delete()
    _discard_ranking(selection)


def professional_ability(students: list[Student]) -> list[float | None]:
    """Each student's mean attainment (0..100) over the competencies assessed so far in their programme; None
    when nothing has been assessed yet."""
    from cbec_talent.cohorts.selectors import figures

    out: list[float | None] = [None] * len(students)
    by_programme: dict[int, list[int]] = {}
    for i, s in enumerate(students):
        by_programme.setdefault(s.school_class.cohort.programme_id, []).append(i)
    for rows in by_programme.values():
        group = [students[i] for i in rows]
        fig = figures(group[0].school_class.cohort.programme, group)
        if fig.result is None:
            continue
        values = np.asarray(fig.result.competency, dtype=np.float64)
        for i, row in zip(rows, values, strict=True):
            finite = row[np.isfinite(row)]
            if finite.size:
                out[i] = round(float(100.0 * finite.mean()), 2)
    return out


@transaction.atomic
def candidates_compute(*, selection: ClassSelection) -> int:
    """Refresh the computed professional ability of every candidate; returns how many have one."""
    if COMPUTED_CRITERION not in selection.criterion_codes:
        return 0
    candidates = list(selection.candidates.select_related("student__school_class__cohort"))
    values = professional_ability([c.student for c in candidates])
    for candidate, value in zip(candidates, values, strict=True):
        computed = {COMPUTED_CRITERION: value} if value is not None else {}
        if computed != candidate.computed:
            candidate.computed = computed
            candidate.save(update_fields=["computed", "updated_at"])
    return sum(v is not None for v in values)


@transaction.atomic
def selection_rank(*, selection: ClassSelection) -> ClassSelection:
    """Rank every candidate with the weighted rule and store rank, total, selected and the structured reasons."""
    _frozen(selection)
    candidates_compute(selection=selection)
    candidates = list(selection.candidates.select_related("student").order_by("student__number"))
    if not candidates:
        raise CbecError([Problem(_("There are no candidates to rank."))])
    codes = selection.criterion_codes
    problems = []
    matrix = np.zeros((len(candidates), len(codes)))
    for i, c in enumerate(candidates):
        for j, code in enumerate(codes):
            value = c.score_of(code)
            if value is None:
                problems.append(
                    Problem(_("%(student)s has no score for this criterion.") % {"student": c.student}, field=code)
                )
            else:
                matrix[i, j] = value
    if problems:
        raise CbecError(problems)
    weights = [float(c["weight"]) / 100.0 for c in selection.criteria]
    result = rank_for_selection(
        matrix, weights, selection.quota, criteria=codes, student_numbers=[c.student.number for c in candidates]
    )
    breaks = tie_breaks(result)
    for entry, tie in zip(result.entries, breaks, strict=True):
        candidate = candidates[entry.student]
        candidate.rank = entry.position
        candidate.total = Decimal(f"{entry.total:.3f}")
        candidate.selected = entry.selected
        candidate.reasons = {
            "contributions": [
                {
                    "code": k.criterion,
                    "score": round(k.score, 3),
                    "weight": round(k.weight * 100, 3),
                    "contribution": round(k.contribution, 3),
                    "source": candidate.source_of(k.criterion),
                }
                for k in entry.contributions
            ],
            "tie_break": None
            if tie is None
            else {
                "by": "student_number" if tie.by_student_number else "criterion",
                "criterion": None if tie.by_student_number else codes[tie.criterion],
                "above_score": None if tie.by_student_number else tie.above_score,
                "own_score": None if tie.by_student_number else tie.own_score,
                "above_number": tie.above_number,
                "own_number": tie.own_number,
            },
            "note_en": entry.tie_break,
        }
        candidate.save(update_fields=["rank", "total", "selected", "reasons", "updated_at"])
    selection.ranked_at = timezone.now()
    selection.rule = result.rule
    selection.boundary_tie = result.boundary_tie
    selection.save(update_fields=["ranked_at", "rule", "boundary_tie", "updated_at"])
    return selection


@transaction.atomic
def selection_publish(*, selection: ClassSelection) -> ClassSelection:
    """Publish a ranked selection: students then see whether they were selected; nothing can change any more."""
    _frozen(selection)
    if not selection.is_ranked:
        raise CbecError([Problem(_("Rank the candidates before publishing."))])
    selection.status = ClassSelection.Status.PUBLISHED
    selection.save(update_fields=["status", "updated_at"])
    return selection


def tie_rule(selection: ClassSelection) -> dict:
    """The stated ordering rule in both languages."""
    crit = selection.criteria
    en = ", then ".join(c.get("label_en") or c["code"] for c in crit)
    zh = "，再比".join(c.get("label_zh") or c["code"] for c in crit)
    return {
        "en": f"Ranked by the weighted total (weight x score), highest first. Equal totals: the higher score in "
        f"{en} wins, criterion by criterion in that order; if all are equal, the lower student number.",
        "zh": f"按加权总分（权重×得分）从高到低排序。总分相同时：先比{zh}，"
        "逐项比较，高者在前；各项均相同时，学号小者在前。",
    }


def tie_note(selection: ClassSelection, reasons: dict) -> dict | None:
    """Why a candidate stands below the one above with an equal total, in both languages (None when no tie)."""
    tie = (reasons or {}).get("tie_break")
    if not tie:
        return None
    if tie["by"] == "student_number":
        return {
            "en": f"Equal total and equal on every criterion: the lower student number {tie['above_number']} "
            f"comes first.",
            "zh": f"总分及各项得分均相同：学号较小的 {tie['above_number']} 在前。",
        }
    c = next((c for c in selection.criteria if c["code"] == tie["criterion"]), {"code": tie["criterion"]})
    return {
        "en": f"Equal total with {tie['above_number']}; decided by {c.get('label_en') or c['code']} "
        f"({tie['above_score']:g} > {tie['own_score']:g}).",
        "zh": f"与 {tie['above_number']} 总分相同；由{c.get('label_zh') or c['code']}决定"
        f"（{tie['above_score']:g} > {tie['own_score']:g}）。",
    }


def ranking_rows(selection: ClassSelection, candidates) -> list[dict]:
    """Display rows of ranked candidates: contributions labelled in the active language, the tie note."""
    labels = {c["code"]: c["label"] for c in selection.labelled_criteria()}
    rows = []
    for cand in candidates:
        reasons = cand.reasons or {}
        rows.append(
            {
                "candidate": cand,
                "contributions": [
                    {**k, "label": labels.get(k["code"], k["code"])} for k in reasons.get("contributions", [])
                ],
                "tie": tie_note(selection, reasons),
            }
        )
    return rows
