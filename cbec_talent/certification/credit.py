"""课证融通 and 学分认定: which courses prepare which certificate modules (with hours), a programme's certificate
coverage, and crediting a passed certificate against a course it covers, approved by the programme director.

Rules (for the director):
- A course may be credited from a held certificate when the certificate is in the catalogue and the course
  prepares at least one of its modules at the held level (a module without levels counts for every level).
- A request is pending until a user with the director role approves or rejects it; only approved credits count.
- In the graduation audit an approved credit makes the course count as passed with its credits, whatever its
  grades (免修免考 by certificate). Every write is in the audit log (core.audit.record, through the model signals).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cbec_talent.cohorts.models import Student
from cbec_talent.core.audit_context import acting_as, current_channel
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.programmes.models import Course, Programme

from .models import CatalogueCertificate, CatalogueModule, CourseCredit, HeldCertificate, ModuleCourse


@transaction.atomic
def module_course_set(*, module: CatalogueModule, course: Course, hours: int) -> ModuleCourse:
    if hours is None or int(hours) < 0:
        raise CbecError([Problem(_("hours must be zero or more"), field="hours")])
    link, _created = ModuleCourse.objects.update_or_create(module=module, course=course, defaults={"hours": int(hours)})
    return link


@transaction.atomic
def module_course_delete(*, link: ModuleCourse) -> None:
    link.delete()


@dataclass(frozen=True)
class ModuleCoverage:
    module: CatalogueModule
    links: list[ModuleCourse]

    @property
    def hours(self) -> int:
        return sum(link.hours for link in self.links)

    @property
    def prepared(self) -> bool:
        return bool(self.links)


@dataclass(frozen=True)
class CertificateCoverage:
    certificate: CatalogueCertificate
    modules: list[ModuleCoverage]

    @property
    def prepared(self) -> int:
        return sum(m.prepared for m in self.modules)

    @property
    def unprepared(self) -> list[ModuleCoverage]:
        return [m for m in self.modules if not m.prepared]

    @property
    def hours(self) -> int:
        return sum(m.hours for m in self.modules)


def programme_coverage(programme: Programme) -> list[CertificateCoverage]:
    """Every catalogue certificate with its modules and the courses of this programme that prepare them."""
    links: dict[int, list[ModuleCourse]] = {}
    for link in ModuleCourse.objects.filter(course__programme=programme).select_related("course"):
        links.setdefault(link.module_id, []).append(link)
    out = []
    for cert in CatalogueCertificate.objects.prefetch_related("modules"):
        out.append(CertificateCoverage(cert, [ModuleCoverage(m, links.get(m.pk, [])) for m in cert.modules.all()]))
    return out


def creditable_courses(held: HeldCertificate) -> list[Course]:
    """The courses of the student's programme that the held certificate may be credited against."""
    if held.catalogue_id is None:
        return []
    programme = held.student.school_class.cohort.programme
    links = ModuleCourse.objects.filter(module__certificate_id=held.catalogue_id, course__programme=programme)
    courses = {}
    for link in links.select_related("course", "module"):
        if not link.module.levels or not held.level or held.level in link.module.levels:
            courses[link.course_id] = link.course
    return sorted(courses.values(), key=lambda c: c.order)


@transaction.atomic
def credit_request(*, held: HeldCertificate, course: Course, note: str = "", actor=None) -> CourseCredit:
    student = held.student
    if held.catalogue_id is None:
        raise CbecError(
            [Problem(_("Only a certificate of the catalogue can be credited against a course."), field="held")]
        )
    if course.pk not in {c.pk for c in creditable_courses(held)}:
        raise CbecError(
            [
                Problem(
                    _("%(course)s prepares no module of %(cert)s at level %(level)s.")
                    % {"course": course.code, "cert": held.catalogue.code, "level": held.level or "—"},
                    field="course",
                )
            ]
        )
    existing = CourseCredit.objects.filter(student=student, course=course).first()
    if existing is not None and existing.status != CourseCredit.Status.REJECTED:
        raise CbecError(
            [
                Problem(
                    _("%(course)s is already credited or awaiting approval.") % {"course": course.code}, field="course"
                )
            ]
        )
    credit = existing or CourseCredit(student=student, course=course)
    credit.held, credit.status, credit.note = held, CourseCredit.Status.PENDING, note.strip()[:300]
    credit.requested_by = actor if actor is not None and getattr(actor, "pk", None) else None
    credit.decided_by, credit.decided_at = None, None
    with acting_as(actor, current_channel()):  # the audit entry names who asked
        credit.save()
    return credit


@transaction.atomic
def credit_decide(*, credit: CourseCredit, approve: bool, actor, note: str = "") -> CourseCredit:
    if credit.status != CourseCredit.Status.PENDING:
        raise CbecError([Problem(_("This credit has already been decided."))])
    credit.status = CourseCredit.Status.APPROVED if approve else CourseCredit.Status.REJECTED
    credit.decided_by = actor if actor is not None and getattr(actor, "pk", None) else None
    credit.decided_at = timezone.now()
    if note:
        credit.note = note.strip()[:300]
    with acting_as(actor, current_channel()):  # the audit entry names the director who decided
        credit.save()
    return credit


def approved_credits(students) -> dict[int, dict[int, CourseCredit]]:
    """student id -> course id -> approved credit (for the graduation audit)."""
    out: dict[int, dict[int, CourseCredit]] = {}
    for credit in CourseCredit.objects.filter(student__in=students, status=CourseCredit.Status.APPROVED).select_related(
        "course__module", "held__catalogue"
    ):
        out.setdefault(credit.student_id, {})[credit.course_id] = credit
    return out


def student_credits(student: Student):
    return CourseCredit.objects.filter(student=student).select_related("course", "held__catalogue", "decided_by")


def certificate_needs(programme: Programme, code: str, level: str) -> tuple:
    """The optimiser constraint "prepare certificate ``code`` at ``level``" for ``programme``: one need per module
    examined at that level, with the programme's courses that prepare it (课证融通 mapping) and their hours."""
    from cbec_talent.engines.curriculum import CertificateModuleNeed

    cert = CatalogueCertificate.objects.filter(code=code).prefetch_related("modules").first()
    if cert is None:
        raise CbecError([Problem(_("No certificate %(c)s in the catalogue.") % {"c": code}, field="certificate")])
    if level not in cert.levels:
        raise CbecError([Problem(_("level %(l)s is not a level of certificate %(c)s (%(all)s)")
                                 % {"l": level, "c": code, "all": " / ".join(cert.levels)}, field="level")])
    links: dict[int, list[ModuleCourse]] = {}
    for link in ModuleCourse.objects.filter(module__certificate=cert, course__programme=programme).select_related(
        "course"
    ):
        links.setdefault(link.module_id, []).append(link)
    return tuple(
        CertificateModuleNeed(
            certificate=cert.code,
            level=level,
            module=m.code,
            courses=tuple(link.course.code for link in links.get(m.pk, [])),
            hours=tuple(float(link.hours) for link in links.get(m.pk, [])),
        )
        for m in cert.modules.all()
        if not m.levels or level in m.levels
    )
