"""Students and assessment (学生与考核): cohorts, classes, students, enrolments, assessment plans (components with
weights and the competencies they evidence), grades, the college-wide plan rule and each programme's roll-up
method. The arithmetic (plan checks, attainment, explanations) lives in engines/attainment."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cbec_talent.core.models import TimeStampedModel
from cbec_talent.engines.attainment import ComponentKind, Method
from cbec_talent.programmes.models import Course, Programme

KIND_CHOICES = [
    (ComponentKind.THEORY_EXAM.value, _("Theory exam")),
    (ComponentKind.PRACTICAL_TASK.value, _("Practical task")),
    (ComponentKind.PLATFORM_OPERATION.value, _("Platform operation")),
    (ComponentKind.SIMULATION.value, _("Simulation result")),
    (ComponentKind.ENTERPRISE_TUTOR.value, _("Enterprise tutor's evaluation")),
    (ComponentKind.CERTIFICATION_EXAM.value, _("Certification exam")),
    (ComponentKind.COMPETITION.value, _("Competition")),
]
METHOD_CHOICES = [
    (Method.WEIGHTED_AVERAGE.value, _("Weighted average")),
    (Method.MINIMUM.value, _("Minimum over supporting courses")),
    (Method.SHARE_OVER_THRESHOLD.value, _("Share of students over the threshold")),
]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class CollegeRule(TimeStampedModel):
    """The college-wide rules every assessment plan is checked against on save (one row, pk=1)."""

    min_practice_percent = models.DecimalField(
        _("Practice counts at least (%)"), max_digits=5, decimal_places=2, default=40, validators=PERCENT
    )
    max_component_percent = models.DecimalField(
        _("No single component above (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )

    class Meta:
        verbose_name = _("college assessment rule")
        verbose_name_plural = _("college assessment rules")

    def __str__(self) -> str:
        return f"practice >= {self.min_practice_percent}%"


class AttainmentSetting(TimeStampedModel):
    """A programme's roll-up method (达成度计算方法), its target and thresholds (fractions shown as %)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="attainment_setting")
    method = models.CharField(_("Method"), max_length=30, choices=METHOD_CHOICES, default=Method.WEIGHTED_AVERAGE.value)
    target_percent = models.DecimalField(
        _("Attainment target (%)"), max_digits=5, decimal_places=2, default=70, validators=PERCENT
    )
    threshold_percent = models.DecimalField(
        _("Threshold for the share method (%)"), max_digits=5, decimal_places=2, default=60, validators=PERCENT
    )
    risk_percent = models.DecimalField(
        _("At risk below (%)"), max_digits=5, decimal_places=2, default=60, validators=PERCENT
    )
    stage_threshold_percent = models.DecimalField(
        _("Next five-in-one stage opens at (%)"), max_digits=5, decimal_places=2, default=60, validators=PERCENT
    )

    class Meta:
        verbose_name = _("attainment setting")
        verbose_name_plural = _("attainment settings")

    def __str__(self) -> str:
        return f"{self.programme} {self.method}"


class Cohort(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    intake_year = models.PositiveSmallIntegerField(_("Intake year"), validators=[MinValueValidator(1990)])
    name = models.CharField(_("Name"), max_length=100)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-intake_year", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "intake_year", "name"], name="uniq_cohort")]

    def __str__(self) -> str:
        return f"{self.intake_year} {self.name}"


class SchoolClass(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("Class"), max_length=100)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["cohort", "name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "name"], name="uniq_class_name")]

    def __str__(self) -> str:
        return self.name


class Student(TimeStampedModel):
    number = models.CharField(_("Student number"), max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=100)
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="students")
    direction_code = models.CharField(_("Direction"), max_length=40, blank=True)
    languages = models.JSONField(_("Languages studied"), default=list, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="student"
    )

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Enrolment(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    term = models.PositiveSmallIntegerField(_("Term"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["student", "term", "course"]
        constraints = [models.UniqueConstraint(fields=["student", "course"], name="uniq_enrolment")]

    def __str__(self) -> str:
        return f"{self.student.number} {self.course.code} T{self.term}"


class AssessmentComponent(models.Model):
    """One component (考核环节) of a course's assessment plan; weights of a course sum to 100."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assessment_components")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("Code"), max_length=20)
    kind = models.CharField(_("Kind"), max_length=30, choices=KIND_CHOICES)
    weight = models.DecimalField(_("Weight (%)"), max_digits=6, decimal_places=2, validators=PERCENT)
    competencies = models.JSONField(_("Competencies evidenced"), default=list, blank=True)

    class Meta:
        verbose_name = _("assessment component")
        verbose_name_plural = _("assessment components")
        ordering = ["course", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "code"], name="uniq_component_code")]

    def __str__(self) -> str:
        return f"{self.course.code}/{self.code}"


class Grade(TimeStampedModel):
    """A student's score on one component, 0..100. Every change is audited (model saves)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="grades")
    component = models.ForeignKey(AssessmentComponent, on_delete=models.PROTECT, related_name="grades")
    score = models.DecimalField(_("Score"), max_digits=5, decimal_places=2, validators=PERCENT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Optimistic locking: raised by every change; a grid saved over an older version is refused for that cell.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["student", "component"]
        constraints = [models.UniqueConstraint(fields=["student", "component"], name="uniq_grade")]

    def __str__(self) -> str:
        return f"{self.student.number} {self.component} {self.score}"


class StageOpening(TimeStampedModel):
    """A five-in-one practice stage the director opened for one student before the previous stage's attainment
    reached the programme's threshold, and why (audited)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="stage_openings")
    stage = models.CharField(_("Five-in-one stage"), max_length=20, choices=Course.Stage.choices)
    reason = models.CharField(_("Reason"), max_length=500)
    previous_attainment = models.FloatField(_("Previous stage's attainment when opened (%)"), null=True, blank=True)
    threshold = models.FloatField(_("Threshold when opened (%)"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("stage opened early")
        verbose_name_plural = _("stages opened early")
        ordering = ["student", "stage"]
        constraints = [models.UniqueConstraint(fields=["student", "stage"], name="uniq_stage_opening")]

    def __str__(self) -> str:
        return f"{self.student.number} {self.stage}"


class CourseObjective(models.Model):
    """A course objective (课程目标), linked to the competencies and graduation requirements it supports."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("Code"), max_length=20)
    order = models.PositiveSmallIntegerField(default=0)
    text_zh = models.TextField(_("Objective (Chinese)"))
    text_en = models.TextField(_("Objective (English)"), blank=True)
    competencies = models.JSONField(_("Competencies"), default=list, blank=True)
    requirements = models.JSONField(_("Graduation requirements"), default=list, blank=True)
    target_percent = models.DecimalField(
        _("Expected attainment (%)"), max_digits=5, decimal_places=2, default=70, validators=PERCENT
    )

    class Meta:
        verbose_name = _("course objective")
        verbose_name_plural = _("course objectives")
        ordering = ["course", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["course", "code"], name="uniq_course_objective")]

    def __str__(self) -> str:
        return f"{self.course.code}/{self.code}"


class ObjectiveComponent(models.Model):
    """An assessment item (考核环节) that evidences a course objective, with its weight (分值) in it."""

    objective = models.ForeignKey(CourseObjective, on_delete=models.CASCADE, related_name="links")
    component = models.ForeignKey(AssessmentComponent, on_delete=models.CASCADE, related_name="objective_links")
    weight = models.DecimalField(
        _("Weight (points)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("assessment item of an objective")
        verbose_name_plural = _("assessment items of objectives")
        ordering = ["objective", "component"]
        constraints = [models.UniqueConstraint(fields=["objective", "component"], name="uniq_objective_component")]

    def __str__(self) -> str:
        return f"{self.objective} <- {self.component.code} ({self.weight})"


class ObjectiveReport(TimeStampedModel):
    """The term's course objective attainment report of one class: the improvement measures the teacher writes."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objective_reports")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="objective_reports")
    term = models.CharField(_("Term"), max_length=40, blank=True, help_text=_("e.g. 2025-2026, first term"))
    measures_zh = models.TextField(_("Improvement measures (Chinese)"), blank=True)
    measures_en = models.TextField(_("Improvement measures (English)"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("course objective report")
        verbose_name_plural = _("course objective reports")
        constraints = [models.UniqueConstraint(fields=["course", "school_class"], name="uniq_objective_report")]

    def __str__(self) -> str:
        return f"{self.course.code} {self.school_class}"
