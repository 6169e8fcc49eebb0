"""The alliance (enterprises and agreements), internship posts, applications and placements."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cbec_talent.cohorts.models import Student
from cbec_talent.core.models import TimeStampedModel


class Enterprise(TimeStampedModel):
    class Size(models.TextChoices):
        MICRO = "micro", _("Micro (under 10)")
        SMALL = "small", _("Small (10-99)")
        MEDIUM = "medium", _("Medium (100-999)")
        LARGE = "large", _("Large (1000+)")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    city = models.CharField(_("City"), max_length=100, blank=True)
    size = models.CharField(_("Size"), max_length=10, choices=Size.choices, default=Size.SMALL)
    platforms = models.JSONField(_("Platforms sold on"), default=list, blank=True)
    markets = models.JSONField(_("Markets"), default=list, blank=True)
    contact = models.CharField(_("Contact"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="enterprises", verbose_name=_("Enterprise tutors")
    )

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agreement(TimeStampedModel):
    class Kind(models.TextChoices):
        ORDER_CLASS = "order_class", _("Order-cultivation class")
        TEACHING_FACTORY = "teaching_factory", _("Teaching factory")
        INTERNSHIP_BASE = "internship_base", _("Internship base")
        JOINT_DEVELOPMENT = "joint_development", _("Joint course or textbook development")
        COMPETITION = "competition", _("Competition sponsorship")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("Kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("Title"), max_length=200)
    start = models.DateField(_("Start"))
    end = models.DateField(_("End"))
    quota = models.PositiveIntegerField(_("Quota"), null=True, blank=True)
    school_commitments = models.TextField(_("School's commitments"), blank=True)
    enterprise_commitments = models.TextField(_("Enterprise's commitments"), blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.title}"


class InternshipPost(TimeStampedModel):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(_("Title"), max_length=200)
    position_code = models.CharField(_("Position (framework code)"), max_length=40, blank=True)
    seats = models.PositiveIntegerField(_("Seats"))
    requirements = models.JSONField(_("Required competencies (code: level)"), default=dict, blank=True)
    languages = models.JSONField(_("Languages"), default=list, blank=True)
    start = models.DateField(_("Start"))
    end = models.DateField(_("End"))
    is_open = models.BooleanField(_("Open for applications"), default=True)

    class Meta:
        verbose_name = _("internship post")
        verbose_name_plural = _("internship posts")
        ordering = ["enterprise__name", "title"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.title}"


class Application(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="applications")
    post = models.ForeignKey(InternshipPost, on_delete=models.CASCADE, related_name="applications")
    preference = models.PositiveSmallIntegerField(_("Preference"))
    # The enterprise's own ranking of its applicants (1 = first choice). Posts whose enterprise ranked nobody are
    # ranked by fit; ranked applicants come before unranked ones, who follow by fit; declined ones are never taken.
    enterprise_rank = models.PositiveSmallIntegerField(_("Enterprise's rank"), null=True, blank=True)
    declined = models.BooleanField(_("Declined by the enterprise"), default=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["student", "preference"]
        constraints = [
            models.UniqueConstraint(fields=["student", "post"], name="uniq_application_post"),
            models.UniqueConstraint(fields=["student", "preference"], name="uniq_application_preference"),
        ]

    def __str__(self) -> str:
        return f"{self.student.number} #{self.preference} {self.post}"


class MatchRun(TimeStampedModel):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    students = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    stable = models.BooleanField(default=False)
    unplaced = models.JSONField(default=list, blank=True)  # [{number, name, why}] for students with no post

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.placed}/{self.students}"


class Placement(TimeStampedModel):
    """A student's internship: the post, both tutors, and why the matching put the student there."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="placement")
    post = models.ForeignKey(InternshipPost, on_delete=models.PROTECT, related_name="placements")
    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements")
    manual = models.BooleanField(_("Changed by hand"), default=False)
    explanation = models.TextField(_("Why this post"), blank=True)
    reasons = models.JSONField(_("Reasons (structured)"), default=list, blank=True)
    school_tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("School tutor"),
    )
    enterprise_tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Enterprise tutor"),
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["post", "student__number"]

    def __str__(self) -> str:
        return f"{self.student.number} -> {self.post}"


class CheckIn(TimeStampedModel):
    """A student's check-in (签到) during the internship."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField(_("Date"))
    note = models.CharField(_("Note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["placement", "date", "id"]

    def __str__(self) -> str:
        return f"{self.placement.student.number} {self.date}"


class WeeklyLog(TimeStampedModel):
    """The student's weekly log (实习周志); each tutor may add a comment."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="weekly_logs")
    week = models.PositiveSmallIntegerField(_("Week"))
    text = models.TextField(_("Log"))
    school_comment = models.TextField(_("School tutor's comment"), blank=True)
    enterprise_comment = models.TextField(_("Enterprise tutor's comment"), blank=True)

    class Meta:
        verbose_name = _("weekly log")
        verbose_name_plural = _("weekly logs")
        ordering = ["placement", "week"]
        constraints = [models.UniqueConstraint(fields=["placement", "week"], name="uniq_weekly_log")]

    def __str__(self) -> str:
        return f"{self.placement.student.number} W{self.week}"


class TutorEvaluation(TimeStampedModel):
    """A tutor's evaluation of the intern: one per side (school / enterprise)."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School tutor")
        ENTERPRISE = "enterprise", _("Enterprise tutor")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="evaluations")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    score = models.DecimalField(
        _("Score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.TextField(_("Comment"), blank=True)
    signed_off = models.BooleanField(_("Signed off"), default=False)

    class Meta:
        verbose_name = _("tutor evaluation")
        verbose_name_plural = _("tutor evaluations")
        ordering = ["placement", "kind"]
        constraints = [models.UniqueConstraint(fields=["placement", "kind"], name="uniq_tutor_evaluation")]

    def __str__(self) -> str:
        return f"{self.placement.student.number} {self.kind} {self.score}"
