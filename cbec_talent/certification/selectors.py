"""Reads for the certification pages: the cohort summary (students x checks) and a student's audit."""

from __future__ import annotations

from cbec_talent.cohorts.models import Cohort, Student
from cbec_talent.competencies.models import Certificate

from .audit import AuditResult, cohort_audit, graduation_audit, pass_score
from .models import PracticeCertification


def cohort_summary(cohort: Cohort) -> dict:
    """Every student's audit and the cohort's counts: passed, and how many miss each kind of requirement."""
    results = cohort_audit(cohort)
    modules = [m.module for m in results[0].modules] if results else []
    return {
        "results": results,
        "pass_score": f"{pass_score():g}",
        "modules": modules,
        "n_students": len(results),
        "n_passed": sum(r.passed for r in results),
        "n_credits": sum(not r.credits_ok for r in results),
        "n_practice": sum(not r.practice_certified for r in results),
        "n_certificate": sum(not r.certificates for r in results),
    }


def student_audit(student: Student) -> AuditResult:
    return graduation_audit(student)


def student_with_cohort(pk: int) -> Student | None:
    return Student.objects.select_related("school_class__cohort__programme__framework", "user").filter(pk=pk).first()


def practice_certification(student: Student) -> PracticeCertification | None:
    return PracticeCertification.objects.filter(student=student).first()


def framework_certificates(student: Student):
    framework_id = student.school_class.cohort.programme.framework_id
    return Certificate.objects.filter(framework_id=framework_id).order_by("order")


def student_of_user(user) -> Student | None:
    return Student.objects.filter(user_id=user.pk).only("pk").first() if user.pk else None
