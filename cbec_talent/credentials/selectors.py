"""Reads for the credential pages."""

from __future__ import annotations

from cbec_talent.cohorts.models import Student

from .models import IssuedCredential


def student(pk: int) -> Student | None:
    return Student.objects.select_related("school_class__cohort__programme__framework").filter(pk=pk).first()


def student_by_number(number: str) -> Student | None:
    return Student.objects.select_related("school_class__cohort__programme__framework").filter(number=number).first()


def student_credentials(student: Student):
    return IssuedCredential.objects.filter(student=student).select_related("student")


def credential(uuid) -> IssuedCredential | None:
    return IssuedCredential.objects.select_related("student").filter(uuid=uuid).first()


def credential_of_document(document) -> IssuedCredential | None:
    cid = document.get("id", "") if isinstance(document, dict) else ""
    if not isinstance(cid, str) or not cid.startswith("urn:uuid:"):
        return None
    try:
        return credential(cid.removeprefix("urn:uuid:"))
    except Exception:  # a malformed UUID names no credential
        return None
