"""Demo graduation audit: recognised certificates for some demo students (the framework's cross-border
e-commerce engineer certificate or a 1+X vocational skill certificate) but none for the demo login "student"
(20240001), whose audit therefore names the missing certificate; one practice certification recorded by staff
for a student without a matched internship.

Idempotent: a student who already holds a certificate (or has a practice certification) is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cbec_talent.accounts.models import User
from cbec_talent.cohorts.models import Student
from cbec_talent.competencies.models import Certificate

from . import catalogue, services
from .models import HeldCertificate, PracticeCertification

WITHOUT_CERTIFICATE = "20240001"  # the demo login "student"
SKILL_CERTIFICATE = ("1+X 跨境电子商务多平台运营职业技能等级证书", "中级 Intermediate")


@transaction.atomic
def create_demo_data() -> None:
    catalogue.catalogue_load()  # the certificate catalogue (idempotent: matched by code)
    director = User.objects.filter(username="director").first()
    students = list(
        Student.objects.filter(number__startswith="2024").select_related("school_class__cohort").order_by("number")
    )
    for i, student in enumerate(students[:8]):
        if student.number == WITHOUT_CERTIFICATE or student.held_certificates.exists():
            continue
        programme = student.school_class.cohort.programme
        engineer = (
            Certificate.objects.filter(framework_id=programme.framework_id, code="CERT.CBEE").first()
            if programme.framework_id
            else None
        )
        if i % 2 and engineer is not None:
            services.held_certificate_create(
                student=student,
                certificate=engineer,
                obtained=dt.date(2026, 6, 20),
                evidence=f"证书编号 CBEE-2026-{i:04d}",
                actor=director,
            )
        else:
            name, level = SKILL_CERTIFICATE
            services.held_certificate_create(
                student=student,
                name=name,
                level=level,
                obtained=dt.date(2026, 5, 30),
                evidence=f"1+X 证书查询平台 No. X-2026-{i:04d}",
                actor=director,
            )
    if len(students) > 9 and not PracticeCertification.objects.filter(student=students[9]).exists():
        services.practice_certification_set(
            student=students[9],
            school_signed=True,
            enterprise_signed=True,
            note="寒假企业实践 Winter practice at a partner enterprise",
            actor=director,
        )
    assert not HeldCertificate.objects.filter(student__number=WITHOUT_CERTIFICATE).exists()
