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
from cbec_talent.core.models import TimeStampedModel


class HeldCertificate(TimeStampedModel):
    """A recognised certificate a student obtained: a framework certificate (e.g. CERT.CBEE, the cross-border
    e-commerce engineer levels of Table III) or a named vocational skill certificate (职业技能等级证书) + level."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="held_certificates")
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="holders"
    )
    name = models.CharField(_("Vocational skill certificate"), max_length=200, blank=True)
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
