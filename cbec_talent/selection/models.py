"""Class selection (paper 004): an order class (订单班) or the entrepreneurial class (创业班) chooses its students by
weighted criteria within a quota; the stored ranking carries each candidate's arithmetic and tie-break."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cbec_talent.cohorts.models import Student
from cbec_talent.core.models import TimeStampedModel
from cbec_talent.partnerships.models import Agreement

# Paper 004: "the selection criteria include students' willingness and interest, professional ability, learning
# ability, hard work and so on". Weights in percent (they sum to 100), so a total is on the 0..100 scale.
DEFAULT_CRITERIA = [
    {"code": "willingness", "label_zh": "意愿与兴趣", "label_en": "Willingness and interest", "weight": 30},
    {"code": "professional", "label_zh": "专业能力", "label_en": "Professional ability", "weight": 30},
    {"code": "learning", "label_zh": "学习能力", "label_en": "Learning ability", "weight": 20},
    {"code": "diligence", "label_zh": "勤奋程度", "label_en": "Diligence (hard work)", "weight": 20},
]
# The criterion that can be computed from the student's competency attainment (a manual score overrides it).
COMPUTED_CRITERION = "professional"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


def criterion_label(criterion: dict) -> str:
    """The criterion's label in the active language (Chinese for zh*, else English)."""
    lang = (get_language() or "en").lower()
    if lang.startswith("zh"):
        return criterion.get("label_zh") or criterion.get("label_en") or criterion["code"]
    return criterion.get("label_en") or criterion.get("label_zh") or criterion["code"]


def validate_criteria(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Give at least one criterion."))
    seen = set()
    total = 0.0
    for item in value:
        if not isinstance(item, dict) or not CODE_RE.match(str(item.get("code", ""))):
            raise ValidationError(_("Each criterion needs a code of lower-case letters, digits or underscores."))
        if item["code"] in seen:
            raise ValidationError(_("Criterion %(code)s is listed twice.") % {"code": item["code"]})
        seen.add(item["code"])
        if not (item.get("label_zh") or item.get("label_en")):
            raise ValidationError(_("Criterion %(code)s needs a name.") % {"code": item["code"]})
        weight = item.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise ValidationError(_("The weight of %(code)s must be a number of at least 0.") % {"code": item["code"]})
        total += float(weight)
    if abs(total - 100.0) > 0.01:
        raise ValidationError(_("The weights must add up to 100 (they add up to %(total)s).") % {"total": f"{total:g}"})


class ClassSelection(TimeStampedModel):
    class Kind(models.TextChoices):
        ORDER_CLASS = "order_class", _("Order-cultivation class")
        ENTREPRENEURIAL = "entrepreneurial", _("Entrepreneurial class")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    agreement = models.ForeignKey(
        Agreement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="selections",
        verbose_name=_("Order-class agreement"),
    )
    title = models.CharField(_("Title"), max_length=200)
    quota = models.PositiveIntegerField(_("Quota"))
    criteria = models.JSONField(_("Criteria and weights"), default=list, validators=[validate_criteria])
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    ranked_at = models.DateTimeField(_("Ranked at"), null=True, blank=True)
    rule = models.TextField(_("Ranking rule"), blank=True)
    boundary_tie = models.BooleanField(_("Tie at the quota line"), default=False)

    class Meta:
        db_table = "partnerships_classselection"  # the tables were created when selection lived in partnerships
        verbose_name = _("class selection")
        verbose_name_plural = _("class selections")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.kind == self.Kind.ORDER_CLASS:
            if self.agreement_id is None:
                raise ValidationError({"agreement": _("An order-class selection needs its order-class agreement.")})
        if self.agreement_id is not None and self.agreement.kind != Agreement.Kind.ORDER_CLASS:
            raise ValidationError({"agreement": _("The agreement is not an order-class agreement.")})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_ranked(self) -> bool:
        return self.ranked_at is not None

    @property
    def criterion_codes(self) -> list[str]:
        return [c["code"] for c in self.criteria]

    def labelled_criteria(self) -> list[dict]:
        return [{**c, "label": criterion_label(c)} for c in self.criteria]


class SelectionCandidate(TimeStampedModel):
    """A student applying for the class: scores per criterion (0..100) and, once ranked, the result.

    ``scores`` holds the scores entered by hand; ``computed`` the ones derived from the student's records
    (professional ability from competency attainment). A score entered by hand overrides a computed one."""

    selection = models.ForeignKey(ClassSelection, on_delete=models.CASCADE, related_name="candidates")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="selection_candidacies")
    scores = models.JSONField(_("Scores entered"), default=dict, blank=True)
    computed = models.JSONField(_("Scores computed from records"), default=dict, blank=True)
    rank = models.PositiveIntegerField(_("Rank"), null=True, blank=True)
    total = models.DecimalField(
        _("Weighted total"),
        max_digits=7,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    selected = models.BooleanField(_("Selected"), default=False)
    reasons = models.JSONField(_("Explanation (structured)"), default=dict, blank=True)

    class Meta:
        db_table = "partnerships_selectioncandidate"
        verbose_name = _("selection candidate")
        verbose_name_plural = _("selection candidates")
        ordering = ["selection", "rank", "student__number"]
        constraints = [models.UniqueConstraint(fields=["selection", "student"], name="uniq_selection_candidate")]

    def __str__(self) -> str:
        return f"{self.selection} · {self.student.number}"

    def score_of(self, code: str) -> float | None:
        """The effective score: entered by hand if present, else computed, else None."""
        if self.scores.get(code) is not None:
            return float(self.scores[code])
        if self.computed.get(code) is not None:
            return float(self.computed[code])
        return None

    def source_of(self, code: str) -> str:
        if self.scores.get(code) is not None:
            return "manual"
        if self.computed.get(code) is not None:
            return "computed"
        return "missing"
