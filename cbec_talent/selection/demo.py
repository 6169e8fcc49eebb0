"""Demo class selections (after the partnerships demo, which creates the order-class agreement)."""

from __future__ import annotations

from django.db import transaction

from cbec_talent.cohorts.models import Student
from cbec_talent.partnerships.models import Agreement

from .models import COMPUTED_CRITERION, ClassSelection, SelectionCandidate
from .services import candidate_scores_set, candidates_compute, selection_create, selection_publish, selection_rank

DEMO_ORDER_TITLE = "2027 独立站订单班选拔 DTC order class selection"
DEMO_ENTRE_TITLE = "2027 创业班选拔 Entrepreneurial class selection"


@transaction.atomic
def create_demo_data() -> list[ClassSelection]:
    """Demo (call after the partnerships demo): a published order-class selection over the demo students (quota 6,
    professional ability from their attainment, two equal totals to show the tie-break) and a ranked, unpublished
    entrepreneurial-class selection (quota 4). Idempotent: looked up by title."""
    students = list(Student.objects.filter(number__startswith="2024").order_by("number")[:12])
    agreement = Agreement.objects.filter(kind=Agreement.Kind.ORDER_CLASS).order_by("start", "pk").first()
    if not students or agreement is None:
        return []
    out = []
    for title, kind, quota, publish in (
        (DEMO_ORDER_TITLE, ClassSelection.Kind.ORDER_CLASS, 6, True),
        (DEMO_ENTRE_TITLE, ClassSelection.Kind.ENTREPRENEURIAL, 4, False),
    ):
        selection = ClassSelection.objects.filter(title=title).first()
        if selection is None:
            selection = selection_create(
                kind=kind,
                title=title,
                agreement=agreement if kind == ClassSelection.Kind.ORDER_CLASS else None,
                quota=quota,
            )
            for i, student in enumerate(students):
                scores = {
                    "willingness": float(60 + (i * 7) % 40),
                    "learning": float(65 + (i * 11) % 30),
                    "diligence": float(70 + (i * 5) % 25),
                }
                if i in (3, 4):  # equal on every criterion: the student number decides
                    scores = {"willingness": 88.0, "learning": 85.0, "diligence": 90.0, "professional": 80.0}
                SelectionCandidate.objects.create(selection=selection, student=student, scores=scores)
            candidates_compute(selection=selection)
            for candidate in selection.candidates.all():  # a student without grades yet: a stated score instead
                if candidate.score_of(COMPUTED_CRITERION) is None:
                    candidate_scores_set(candidate=candidate, scores={COMPUTED_CRITERION: 60})
            selection_rank(selection=selection)
            if publish:
                selection_publish(selection=selection)
        out.append(selection)
    return out
