"""Talent-training programmes (人才培养方案): modules, courses, credits and hours, semesters, five-in-one stages and
the course-competency support matrix. The arithmetic, validation and coverage live in engines/curriculum."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cbec_talent.competencies.models import Framework
from cbec_talent.core.models import BilingualNameMixin, TimeStampedModel


class Programme(BilingualNameMixin, TimeStampedModel):
    code = models.CharField(_("Code"), max_length=40)
    version = models.CharField(_("Version"), max_length=40, default="1")
    name_zh = models.CharField(_("Chinese name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    source = models.CharField(_("Source"), max_length=200, blank=True)
    semesters = models.PositiveSmallIntegerField(_("Semesters"), default=8)
    #: Optimistic locking: raised by every saved course change; a save made on an older one is refused.
    lock_version = models.PositiveIntegerField(default=1)
    framework = models.ForeignKey(Framework, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_positions = models.JSONField(_("Target positions"), default=list, blank=True)
    embedded_positions = models.JSONField(default=list, blank=True)
    targets = models.JSONField(_("Targets"), default=dict, blank=True)
    stated = models.JSONField(_("Figures stated in the source document"), null=True, blank=True)
    is_sample = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("talent-training programme")
        verbose_name_plural = _("talent-training programmes")
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_programme_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"


class ProgrammeModule(BilingualNameMixin, models.Model):
    class Kind(models.TextChoices):
        GENERAL_COMPULSORY = "general_compulsory", _("General compulsory course")
        BASIC_SPECIALISED = "basic_specialised", _("Basic specialised course")
        SPECIALISED = "specialised", _("Specialised course")
        SPECIALISED_PRACTICE = "specialised_practice", _("Specialised practice")
        PERSONALISED = "personalised", _("Personalised and diversified development")
        GENERAL_EDUCATION = "general_education", _("General education")
        PROFESSIONAL_COMPULSORY = "professional_compulsory", _("Professional compulsory course")
        PROFESSIONAL_DIRECTION = "professional_direction", _("Professional direction course")
        PROFESSIONAL_OPTIONAL = "professional_optional", _("Professional optional course")
        OTHER = "other", _("Other (user-defined)")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(_("Code"), max_length=40)
    kind = models.CharField(_("Module type"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")
        ordering = ["programme", "order"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="uniq_module_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Course(BilingualNameMixin, models.Model):
    class Mode(models.TextChoices):
        SCHOOL = "school", _("School")
        ENTERPRISE = "enterprise", _("Enterprise")
        TEACHING_FACTORY = "teaching_factory", _("Teaching factory")

    class Stage(models.TextChoices):
        THEORY = "theory", _("Theory teaching")
        COGNITIVE = "cognitive", _("Cognitive demonstration")
        SIMULATION = "simulation", _("Simulation")
        OPERATION = "operation", _("Actual operation")
        CERTIFICATION = "certification", _("Certification assessment")

    class Step(models.TextChoices):
        """Paper 002's talent development process: theoretical teaching, skills teaching, project outsourcing
        teaching, corporate practice, self-employment (entrepreneurship)."""

        NONE = "", _("(not set)")
        THEORY = "theory_teaching", _("Theoretical teaching")
        SKILLS = "skills_teaching", _("Skills teaching")
        PROJECT = "project_outsourcing", _("Project outsourcing teaching")
        CORPORATE = "corporate_practice", _("Corporate practice")
        ENTREPRENEURSHIP = "entrepreneurship", _("Self-employment (entrepreneurship)")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="courses")
    module = models.ForeignKey(ProgrammeModule, on_delete=models.PROTECT, related_name="courses")
    code = models.CharField(_("Code"), max_length=40)
    order = models.PositiveIntegerField(default=0)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    credits = models.DecimalField(_("Credits"), max_digits=5, decimal_places=2)
    theory_hours = models.PositiveIntegerField(_("Theory hours"))
    practice_hours = models.PositiveIntegerField(_("Practice hours"))
    semesters = models.JSONField(_("Semesters"), default=list)
    required = models.BooleanField(_("Required"), default=True)
    prerequisites = models.JSONField(_("Prerequisites"), default=list, blank=True)
    teaching_mode = models.CharField(_("Teaching mode"), max_length=20, choices=Mode.choices, default=Mode.SCHOOL)
    stage = models.CharField(_("Five-in-one stage"), max_length=20, choices=Stage.choices, default=Stage.THEORY)
    step = models.CharField(_("Paper 002 step"), max_length=30, choices=Step.choices, default="", blank=True)
    certificates = models.ManyToManyField(
        "competencies.Certificate",
        blank=True,
        related_name="programme_courses",
        verbose_name=_("Certificates (Table III)"),
    )
    supports = models.JSONField(_("Supported competencies (code: H/M/L)"), default=dict, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["programme", "order"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="uniq_course_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def total_hours(self) -> int:
        return self.theory_hours + self.practice_hours


class OptimiserRun(TimeStampedModel):
    """One run of the course-selection optimiser (a background task); progress is written as it goes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="optimiser_runs")
    direction = models.CharField(_("Direction"), max_length=40, blank=True)
    time_limit = models.FloatField(default=60.0)
    weights = models.JSONField(_("Competency weights (from demand)"), null=True, blank=True)
    weights_source = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("optimiser run")
        verbose_name_plural = _("optimiser runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme} #{self.pk} {self.status}"

    @property
    def message_shown(self) -> str:
        """The solver's progress line (engines/curriculum, English) in the reader's language."""
        from cbec_talent.core.stored_text import shown

        return shown(self.message, OPTIMISER_MESSAGES)


#: The progress lines of the curriculum engine's solver (engines/curriculum/solve.py), for translation.
OPTIMISER_MESSAGES = (gettext_noop("incumbent %(objective)s, bound %(bound)s"),)
