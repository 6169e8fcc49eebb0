"""Teacher development (师资建设): teacher profiles - school teachers and enterprise part-time teachers
(企业兼职教师) - with the courses they teach, and a ledger per teacher: training taken (内培), enterprise
practice (企业实践) and qualifications. The dual-qualified (双师型) status is derived from the ledger by the rule
in rules.py; it is never stored or typed in."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cbec_talent.core.models import TimeStampedModel


class Teacher(TimeStampedModel):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School teacher")
        ENTERPRISE = "enterprise", _("Enterprise part-time teacher")

    number = models.CharField(_("Staff number"), max_length=40, unique=True)
    name = models.CharField(_("Full name"), max_length=100)
    kind = models.CharField(_("Kind of teacher"), max_length=20, choices=Kind.choices, default=Kind.SCHOOL)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teacher_profile",
        verbose_name=_("Login account"),
    )
    enterprise = models.ForeignKey(
        "partnerships.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="part_time_teachers",
        verbose_name=_("Enterprise"),
    )
    title = models.CharField(_("Professional title"), max_length=100, blank=True)
    expertise = models.CharField(_("Expertise"), max_length=300, blank=True)
    courses = models.ManyToManyField(
        "programmes.Course", blank=True, related_name="teachers", verbose_name=_("Courses taught")
    )

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["kind", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def clean(self):
        errors = {}
        if self.kind == self.Kind.ENTERPRISE and self.enterprise_id is None:
            errors["enterprise"] = _("An enterprise part-time teacher needs an enterprise.")
        if self.kind == self.Kind.SCHOOL and self.enterprise_id is not None:
            errors["enterprise"] = _("A school teacher is not linked to an enterprise.")
        if self.user_id is not None:
            role = "enterprise_tutor" if self.kind == self.Kind.ENTERPRISE else "teacher"
            if not self.user.has_role(role):
                errors["user"] = (
                    _("The login of an enterprise part-time teacher must hold the enterprise tutor role.")
                    if role == "enterprise_tutor"
                    else _("The login of a school teacher must hold the teacher role.")
                )
        if errors:
            raise ValidationError(errors)


class TrainingRecord(TimeStampedModel):
    """Training taken (内培): courses, workshops, national or provincial training programmes."""

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="trainings")
    name = models.CharField(_("Training"), max_length=200)
    provider = models.CharField(_("Provider"), max_length=200, blank=True)
    start = models.DateField(_("Start"))
    end = models.DateField(_("End"))
    hours = models.PositiveIntegerField(_("Hours"))
    certificate = models.CharField(_("Certificate obtained"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["teacher", "-start", "id"]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.name}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})


class PracticeRecord(TimeStampedModel):
    """Enterprise practice (企业实践): time a teacher spends working in an enterprise."""

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="practices")
    enterprise = models.ForeignKey(
        "partnerships.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teacher_practices",
        verbose_name=_("Enterprise (alliance)"),
    )
    enterprise_name = models.CharField(_("Enterprise (outside the alliance)"), max_length=200, blank=True)
    start = models.DateField(_("Start"))
    end = models.DateField(_("End"))
    hours = models.PositiveIntegerField(_("Hours"))
    work = models.TextField(_("Work done"), blank=True)

    class Meta:
        verbose_name = _("enterprise practice record")
        verbose_name_plural = _("enterprise practice records")
        ordering = ["teacher", "-start", "id"]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.enterprise_label}"

    @property
    def enterprise_label(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.enterprise_name

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end is before the start.")
        if self.enterprise_id is None and not self.enterprise_name.strip():
            errors["enterprise"] = _("Name the enterprise: one of the alliance or another one.")
        if errors:
            raise ValidationError(errors)


class Qualification(TimeStampedModel):
    """A qualification held: vocational qualification or skill certificate, industry title, or another one."""

    class Kind(models.TextChoices):
        VOCATIONAL = "vocational", _("Vocational qualification or skill certificate")
        INDUSTRY_TITLE = "industry_title", _("Industry title")
        OTHER = "other", _("Other")

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("Kind of qualification"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("Qualification"), max_length=200)
    issuer = models.CharField(_("Issuer"), max_length=200, blank=True)
    level = models.CharField(_("Level"), max_length=60, blank=True)
    obtained = models.DateField(_("Date obtained"))
    valid_until = models.DateField(_("Valid until"), null=True, blank=True)
    relevant = models.BooleanField(_("Relevant to cross-border e-commerce"), default=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["teacher", "-obtained", "id"]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.name}"

    def clean(self):
        if self.obtained and self.valid_until and self.valid_until < self.obtained:
            raise ValidationError({"valid_until": _("The end of validity is before the date obtained.")})
