"""Verifiable credentials the college issued (Open Badges 3.0 / VC 2.0, eddsa-rdfc-2022) and the college's
issuer keys. The signed document is kept as issued; revocation sets the credential's bit in the status list."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cbec_talent.cohorts.models import Student
from cbec_talent.core.models import TimeStampedModel


class IssuerKey(TimeStampedModel):
    """A public key the college signs with (its private half lives in a file, never in the database)."""

    public_key_multibase = models.CharField(max_length=80, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")

    def __str__(self) -> str:
        return self.public_key_multibase


class IssuedCredential(TimeStampedModel):
    class Kind(models.TextChoices):
        GRADUATION = "graduation", _("Double-certificate graduation")
        COMPETENCY = "competency", _("Attained competency")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="credentials")
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    competency_code = models.CharField(_("Competency"), max_length=40, blank=True)
    status_index = models.PositiveIntegerField(unique=True)
    document = models.JSONField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(_("Reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("issued credential")
        verbose_name_plural = _("issued credentials")
        ordering = ["-created_at", "-id"]

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def urn(self) -> str:
        return f"urn:uuid:{self.uuid}"

    def __str__(self) -> str:
        return f"{self.student.number} {self.kind} {self.competency_code}".strip()
