"""Reads of class selection: the list a user may see, the ranked candidates, the ranking chart."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .access import VIEW_RESULT_ROLES, selections_for_user
from .models import ClassSelection, SelectionCandidate


def selection_rows(user) -> list[dict]:
    """The selections the user may see with their candidate counts; a student's own line in each."""
    selections = (
        selections_for_user(user)
        .select_related("agreement__enterprise")
        .annotate(
            n_candidates=Count("candidates", distinct=True),
            n_selected=Count("candidates", filter=Q(candidates__selected=True), distinct=True),
        )
    )
    own = {}
    if user.has_role("student") and not has_any_role(user, VIEW_RESULT_ROLES):
        own = {
            c.selection_id: c
            for c in SelectionCandidate.objects.filter(
                student__user=user, selection__status=ClassSelection.Status.PUBLISHED
            )
        }
    return [{"selection": s, "own": own.get(s.pk)} for s in selections]


def ranked_candidates(selection: ClassSelection) -> list[SelectionCandidate]:
    return list(selection.candidates.exclude(rank=None).select_related("student__school_class").order_by("rank"))


def ranking_chart(selection: ClassSelection, candidates: list[SelectionCandidate]) -> dict:
    ranked = [c for c in candidates if c.rank is not None]
    criteria = selection.labelled_criteria()
    selected = [c for c in ranked if c.selected]
    return {
        "students": [f"{c.student.number} {c.student.name}" for c in ranked],
        "series": [
            {
                "name": k["label"],
                "data": [
                    next(
                        (
                            x["contribution"]
                            for x in (c.reasons or {}).get("contributions", [])
                            if x["code"] == k["code"]
                        ),
                        0,
                    )
                    for c in ranked
                ],
            }
            for k in criteria
        ],
        "totals": [float(c.total) for c in ranked],
        "selected": [c.selected for c in ranked],
        "quota": selection.quota,
        "cut": float(selected[-1].total) if selected else None,
        "labels": {"quota": _("Quota line"), "total": _("Weighted total")},
    }
