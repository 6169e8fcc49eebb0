"""The graduation audit (双证毕业审核), computed on demand from stored records; nothing here writes.

Rules (documented for the director):
- A course is passed when its final course score (总评成绩: the weighted assessment components, computed by the
  attainment engine through cohorts.selectors.figures) is >= PASS_SCORE (setting CBEC_PASS_SCORE, default 60).
  A course without an assessment plan or without grades has no final score and earns no credits.
- Credits earned per module (the course's programme module) must reach the programme's
  targets.module_min_credits[module]; the total must reach targets.total_credits (its minimum if a range).
- Professional practice counts when it is certified by BOTH the school and the enterprise: either the
  student's internship placement has a signed-off TutorEvaluation of each side (partnerships app), or staff
  recorded a PracticeCertification with both boxes ticked (practice outside a matched placement).
- 学分认定: a course credited from a passed certificate (credit.py; approved by the programme director) counts as
  passed with its credits, whatever its grades; the course shows as credited in the audit.
- At least one recognised professional certificate must be held: a framework certificate (e.g. CERT.CBEE,
  the cross-border e-commerce engineer levels) or a named vocational skill certificate, entered by staff.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from cbec_talent.cohorts.models import Cohort, Student
from cbec_talent.cohorts.selectors import figures
from cbec_talent.partnerships.models import TutorEvaluation
from cbec_talent.programmes.models import Course, Programme

from .credit import approved_credits
from .models import HeldCertificate, PracticeCertification

PASS_SCORE_DEFAULT = 60.0


def pass_score() -> float:
    return float(getattr(settings, "CBEC_PASS_SCORE", PASS_SCORE_DEFAULT))


@dataclass(frozen=True)
class MissingItem:
    """One unmet graduation requirement, in both languages."""

    code: str  # "module:SP", "total", "practice", "certificate"
    message_zh: str
    message_en: str

    @property
    def text(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


@dataclass(frozen=True)
class ModuleCredits:
    module: str
    earned: Decimal
    required: Decimal

    @property
    def ok(self) -> bool:
        return self.earned >= self.required


@dataclass(frozen=True)
class CourseResult:
    course: Course
    score: float | None
    passed: bool
    credited_from: str = ""  # the certificate a 学分认定 credited the course from


@dataclass
class AuditResult:
    student: Student
    passed: bool
    missing: list[MissingItem]
    modules: list[ModuleCredits]
    total_earned: Decimal
    total_required: Decimal | None
    practice_certified: bool
    certificates: list[HeldCertificate]
    courses: list[CourseResult] = field(default_factory=list)

    @property
    def credits_ok(self) -> bool:
        return not any(m.code.startswith("module:") or m.code == "total" for m in self.missing)


def _fmt(x: Decimal) -> str:
    return f"{x.normalize():f}" if x == x.to_integral() else f"{x:f}"


def _required_total(programme: Programme) -> Decimal | None:
    total = (programme.targets or {}).get("total_credits")
    if isinstance(total, dict):
        total = total.get("min")
    return Decimal(str(total)) if total is not None else None


def _example_certificate(programme: Programme) -> str:
    first = programme.framework.certificates.order_by("order").first() if programme.framework_id else None
    return first.code if first else "CERT.CBEE"


def audit_students(programme: Programme, students) -> list[AuditResult]:
    """Audit every student of one programme in one pass (one engine roll-up for all their grades)."""
    students = list(students)
    fig = figures(programme, students)
    scores = fig.result.course_scores if fig.result is not None else None
    minimums = {k: Decimal(str(v)) for k, v in ((programme.targets or {}).get("module_min_credits") or {}).items()}
    total_required = _required_total(programme)
    example = _example_certificate(programme)
    practice = {p.student_id: p for p in PracticeCertification.objects.filter(student__in=students)}
    sides: dict[int, set[str]] = {}
    for student_id, kind in TutorEvaluation.objects.filter(
        placement__student__in=students, signed_off=True
    ).values_list("placement__student_id", "kind"):
        sides.setdefault(student_id, set()).add(kind)
    both = {TutorEvaluation.Kind.SCHOOL.value, TutorEvaluation.Kind.ENTERPRISE.value}
    held: dict[int, list[HeldCertificate]] = {}
    for h in HeldCertificate.objects.filter(student__in=students).select_related("certificate", "catalogue"):
        held.setdefault(h.student_id, []).append(h)
    threshold = pass_score()
    credited = approved_credits(students)
    results = []
    for i, student in enumerate(students):
        courses, earned = [], {}
        mine_credited = credited.get(student.pk, {})
        for j, course in enumerate(fig.courses):
            value = float(scores[i, j]) if scores is not None else math.nan
            score = round(value, 2) if math.isfinite(value) else None
            credit = mine_credited.get(course.pk)
            ok = (score is not None and score >= threshold) or credit is not None
            courses.append(CourseResult(course, score, ok, credit.held.label if credit else ""))
            if ok:
                earned[course.module.code] = earned.get(course.module.code, Decimal(0)) + course.credits
        planned = {c.pk for c in fig.courses}
        for course_id, credit in mine_credited.items():
            if course_id in planned:
                continue
            course = credit.course
            courses.append(CourseResult(course, None, True, credit.held.label))
            earned[course.module.code] = earned.get(course.module.code, Decimal(0)) + course.credits
        missing, modules = [], []
        for code, need in minimums.items():
            got = earned.get(code, Decimal(0))
            modules.append(ModuleCredits(code, got, need))
            if got < need:
                missing.append(
                    MissingItem(
                        f"module:{code}",
                        f"模块 {code}：{_fmt(got)}/{_fmt(need)} 学分",
                        f"module {code}: {_fmt(got)}/{_fmt(need)} credits",
                    )
                )
        total = sum(earned.values(), Decimal(0))
        if total_required is not None and total < total_required:
            missing.append(
                MissingItem(
                    "total",
                    f"总学分：{_fmt(total)}/{_fmt(total_required)} 学分",
                    f"total: {_fmt(total)}/{_fmt(total_required)} credits",
                )
            )
        cert = practice.get(student.pk)
        practice_ok = bool(cert and cert.school_signed and cert.enterprise_signed) or both <= sides.get(
            student.pk, set()
        )
        if not practice_ok:
            missing.append(
                MissingItem(
                    "practice",
                    "专业实践未经学校和企业双方认定",
                    "no professional practice certified by both school and enterprise",
                )
            )
        mine = held.get(student.pk, [])
        if not mine:
            missing.append(
                MissingItem(
                    "certificate",
                    f"未取得认可的职业资格证书（如 {example}）",
                    f"no recognised professional certificate (e.g. {example})",
                )
            )
        results.append(
            AuditResult(student, not missing, missing, modules, total, total_required, practice_ok, mine, courses)
        )
    return results


def graduation_audit(student: Student) -> AuditResult:
    """Pass, or the exact list of what is missing, for one student."""
    programme = student.school_class.cohort.programme
    return audit_students(programme, [student])[0]


def cohort_audit(cohort: Cohort) -> list[AuditResult]:
    students = Student.objects.filter(school_class__cohort=cohort).select_related("school_class").order_by("number")
    return audit_students(cohort.programme, students)
