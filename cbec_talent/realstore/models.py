"""Real-store evidence (the fifth stage, 真实店铺运营): a student runs a real store on a platform; each week's
figures come from the platform's report export (or are typed in), the enterprise tutor co-signs the week, and
the co-signed weeks become the student's grade on the assessment component the store evidences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cbec_talent.cohorts.models import AssessmentComponent, Student
from cbec_talent.core.models import TimeStampedModel

DEFAULT_TARGETS = {"orders": 20, "sales": 1000, "conversion": 2.0, "rating": 4.5, "dispute_rate": 2.0}


class RealStore(TimeStampedModel):
    class Platform(models.TextChoices):
        AMAZON = "amazon", "Amazon"
        ALIEXPRESS = "aliexpress", _("AliExpress")
        EBAY = "ebay", "eBay"
        SHOPEE = "shopee", "Shopee"
        TIKTOK = "tiktok", "TikTok Shop"
        ALIBABA = "alibaba", _("Alibaba.com")
        OTHER = "other", _("Other")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="real_stores")
    platform = models.CharField(_("Platform"), max_length=20, choices=Platform.choices)
    name = models.CharField(_("Store name"), max_length=200)
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cosigned_stores",
        verbose_name=_("Enterprise tutor (co-signs)"),
    )
    component = models.ForeignKey(
        AssessmentComponent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="real_stores",
        verbose_name=_("Assessment component the figures evidence"),
    )
    targets = models.JSONField(_("Weekly targets"), default=dict)

    class Meta:
        verbose_name = _("real store")
        verbose_name_plural = _("real stores")
        ordering = ["student__number", "id"]

    def __str__(self) -> str:
        return f"{self.student.number} {self.get_platform_display()} {self.name}"

    def target(self, key: str) -> float:
        return float((self.targets or {}).get(key, DEFAULT_TARGETS[key]))


class StoreWeek(TimeStampedModel):
    """One week of a store's figures; changing co-signed figures is refused until the tutor reopens the week."""

    store = models.ForeignKey(RealStore, on_delete=models.CASCADE, related_name="weeks")
    week_start = models.DateField(_("Week starting (Monday)"))
    orders = models.PositiveIntegerField(_("Orders"))
    sales = models.DecimalField(_("Sales"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("Currency"), max_length=3, default="USD")
    sessions = models.PositiveIntegerField(_("Sessions (visitors)"), null=True, blank=True)
    conversion = models.DecimalField(_("Conversion rate (%)"), max_digits=6, decimal_places=2)
    rating = models.DecimalField(_("Rating (0-5)"), max_digits=3, decimal_places=2)
    disputes = models.PositiveIntegerField(_("Disputes"))
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    tutor_note = models.CharField(_("Tutor's note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("store week")
        verbose_name_plural = _("store weeks")
        ordering = ["store", "week_start"]
        constraints = [models.UniqueConstraint(fields=["store", "week_start"], name="uniq_store_week")]

    def __str__(self) -> str:
        return f"{self.store} {self.week_start}"

    @property
    def cosigned(self) -> bool:
        return self.cosigned_at is not None

    @property
    def dispute_rate(self) -> float:
        return 100.0 * self.disputes / self.orders if self.orders else 0.0
