"""Double-certificate graduation audit (双证毕业审核): the professional certificates a student holds and the
certification of their professional practice by school and enterprise. The audit itself is computed on demand
(services.graduation_audit) from grades, the programme's credit targets and these records."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cbec_talent.cohorts.models import Student
from cbec_talent.competencies.models import Certificate
from cbec_talent.core.models import TimeStampedModel, pick_language
from cbec_talent.programmes.models import Course


class HeldCertificate(TimeStampedModel):
    """A recognised certificate a student obtained: a framework certificate (e.g. CERT.CBEE, the cross-border
    e-commerce engineer levels of Table III) or a named vocational skill certificate (职业技能等级证书) + level."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="held_certificates")
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="holders"
    )
    name = models.CharField(_("Vocational skill certificate"), max_length=200, blank=True)
    catalogue = models.ForeignKey(
        "CatalogueCertificate", null=True, blank=True, on_delete=models.PROTECT, related_name="holders",
        verbose_name=_("Catalogue certificate"),
    )
    level = models.CharField(_("Level"), max_length=60, blank=True)
    obtained = models.DateField(_("Date obtained"))
    evidence = models.CharField(_("Evidence"), max_length=300, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("held certificate")
        verbose_name_plural = _("held certificates")
        ordering = ["student", "obtained", "id"]

    def clean(self) -> None:
        if (self.certificate_id is None) == (not self.name.strip()):
            raise ValidationError(_("Give either a framework certificate or a vocational skill certificate name."))

    @property
    def label(self) -> str:
        if self.certificate_id:
            return f"{self.certificate.code} {self.certificate.name}"
        if self.catalogue_id:
            return f"{self.catalogue.code} {self.catalogue.name_zh} {self.level}".strip()
        return f"{self.name} {self.level}".strip()

    def __str__(self) -> str:
        return f"{self.student.number} {self.label}"


class PracticeCertification(TimeStampedModel):
    """Professional practice (专业实践) certified by the school and by the enterprise, entered by staff."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="practice_certification")
    school_signed = models.BooleanField(_("Certified by the school"), default=False)
    enterprise_signed = models.BooleanField(_("Certified by the enterprise"), default=False)
    note = models.CharField(_("Note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("practice certification")
        verbose_name_plural = _("practice certifications")

    def __str__(self) -> str:
        return f"{self.student.number} school={self.school_signed} enterprise={self.enterprise_signed}"


class CatalogueCertificate(TimeStampedModel):
    """A certificate the programme recognises (证书目录): 1+X vocational skill level certificates, group standards,
    level tests, paper 003's engineer levels; with its issuing or evaluation body, levels and cited sources."""

    class Kind(models.TextChoices):
        ONE_X = "1+x", _("1+X vocational skill level certificate")
        GROUP_STANDARD = "group_standard", _("Group standard")
        LEVEL_TEST = "level_test", _("Training and level test")
        SKILL_EXAM = "skill_exam", _("Skill examination")
        SPECIAL_ABILITY = "special_ability", _("Special vocational ability")
        PAPER = "paper", _("Paper 003 certificate")
        OTHER = "other", _("Other")

    code = models.CharField(_("Code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Name (Chinese)"), max_length=200)
    name_en = models.CharField(_("Name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    organisation_zh = models.CharField(_("Issuing or evaluation organisation (Chinese)"), max_length=200, blank=True)
    organisation_en = models.CharField(_("Issuing or evaluation organisation (English)"), max_length=200, blank=True)
    standard = models.CharField(_("Standard"), max_length=200, blank=True)
    levels = models.JSONField(_("Levels"), default=list)
    sources = models.JSONField(_("Sources"), default=list)
    detail_note = models.TextField(_("Note on sources"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("catalogue certificate")
        verbose_name_plural = _("catalogue certificates")
        ordering = ["order", "code"]

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)

    @property
    def organisation(self) -> str:
        return pick_language(self.organisation_zh, self.organisation_en)

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class CatalogueModule(models.Model):
    """A skill module (工作领域/考核单元) of a catalogue certificate, the levels that examine it and the
    reference-framework competencies it requires."""

    certificate = models.ForeignKey(CatalogueCertificate, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(_("Code"), max_length=40)
    name_zh = models.CharField(_("Name (Chinese)"), max_length=200)
    name_en = models.CharField(_("Name (English)"), max_length=200, blank=True)
    levels = models.JSONField(_("Levels"), default=list)
    competencies = models.JSONField(_("Competencies"), default=list)
    from_standard = models.BooleanField(_("From the standard's text"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate module")
        verbose_name_plural = _("certificate modules")
        ordering = ["certificate", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["certificate", "code"], name="uniq_catalogue_module_code")]

    def __str__(self) -> str:
        return f"{self.certificate.code}/{self.code}"

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)


class ModuleCourse(models.Model):
    """课证融通: a course of a programme that prepares a certificate module, with the hours it gives to it
    (paper 003's Table III generalised to any catalogue certificate)."""

    module = models.ForeignKey(CatalogueModule, on_delete=models.CASCADE, related_name="course_links")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="certificate_modules")
    hours = models.PositiveIntegerField(_("Hours"), default=0)

    class Meta:
        verbose_name = _("module preparation")
        verbose_name_plural = _("module preparations")
        ordering = ["module", "course__order"]
        constraints = [models.UniqueConstraint(fields=["module", "course"], name="uniq_module_course")]

    def __str__(self) -> str:
        return f"{self.module} <- {self.course.code} ({self.hours} h)"


class CourseCredit(TimeStampedModel):
    """学分认定: a passed certificate credited against a course that prepares one of its modules; counts in the
    graduation audit once the programme director approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the director's approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="course_credits")
    held = models.ForeignKey(HeldCertificate, on_delete=models.CASCADE, related_name="course_credits")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="certificate_credits")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("Note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("course credit")
        verbose_name_plural = _("course credits")
        ordering = ["student", "course__order"]
        constraints = [models.UniqueConstraint(fields=["student", "course"], name="uniq_course_credit")]

    def __str__(self) -> str:
        return f"{self.student.number} {self.course.code} <- {self.held.label} ({self.status})"
