"""Writes of the alliance itself: an enterprise's details and tutors, and its agreements."""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from cbec_talent.accounts.models import User
from cbec_talent.core.errors import CbecError, Problem

from .models import Agreement, Enterprise

ENTERPRISE_FIELDS = ("name", "city", "size", "platforms", "markets", "contact")
AGREEMENT_FIELDS = (
    "kind",
    "title",
    "start",
    "end",
    "quota",
    "school_commitments",
    "enterprise_commitments",
)


def _check_dates_and_quota(agreement: Agreement) -> None:
    problems = []
    if agreement.start and agreement.end and agreement.end < agreement.start:
        problems.append(Problem(_("The end is before the start."), field="end"))
    if agreement.kind == Agreement.Kind.ORDER_CLASS and not agreement.quota:
        problems.append(Problem(_("An order-cultivation class needs a quota (number of students)."), field="quota"))
    if problems:
        raise CbecError(problems)


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, **fields) -> Enterprise:
    for name in ENTERPRISE_FIELDS:
        if name in fields:
            setattr(enterprise, name, fields[name])
    enterprise.full_clean()
    enterprise.save()
    return enterprise


@transaction.atomic
def enterprise_tutors_set(*, enterprise: Enterprise, usernames: list[str]) -> list[User]:
    """Replace the enterprise's tutors (users holding the enterprise tutor role) by these usernames."""
    users = list(User.objects.filter(username__in=usernames))
    found = {u.username for u in users}
    problems = [
        Problem(_("No user named %(u)s.") % {"u": name}, field="tutors") for name in usernames if name not in found
    ]
    problems += [
        Problem(_("%(u)s does not hold the enterprise tutor role.") % {"u": u.username}, field="tutors")
        for u in users
        if not u.has_role("enterprise_tutor")
    ]
    if problems:
        raise CbecError(problems)
    enterprise.members.set(users)
    return users


@transaction.atomic
def agreement_create(*, enterprise: Enterprise, **fields) -> Agreement:
    agreement = Agreement(enterprise=enterprise, **{k: v for k, v in fields.items() if k in AGREEMENT_FIELDS})
    _check_dates_and_quota(agreement)
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, **fields) -> Agreement:
    for name in AGREEMENT_FIELDS:
        if name in fields:
            setattr(agreement, name, fields[name])
    _check_dates_and_quota(agreement)
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_delete(*, agreement: Agreement) -> None:
    """Refused while a class selection is based on the agreement (the selection keeps its terms; its foreign key
    protects the agreement)."""
    try:
        with transaction.atomic():
            agreement.delete()
    except ProtectedError as exc:
        used = sorted(str(obj) for obj in exc.protected_objects)
        raise CbecError(
            [
                Problem(
                    _("The agreement is used by the class selection %(v)s; delete that first.")
                    % {"v": ", ".join(used)},
                    field="agreement",
                )
            ]
        ) from None


@transaction.atomic
def applicant_ranking_set(*, post, ranks: dict[int, int | None], declined: set[int]) -> int:
    """The enterprise's ranking of a post's applicants: ``ranks`` maps application id -> 1-based rank (None =
    not ranked, the matching then orders by fit); ``declined`` lists application ids it will not take. Returns
    the number of applications changed."""
    from .models import Application

    applications = {a.pk: a for a in Application.objects.filter(post=post).select_related("student")}
    problems = [
        Problem(_("Application %(id)s is not for this post.") % {"id": pk}, field="ranking")
        for pk in [*ranks, *declined]
        if pk not in applications
    ]
    given = [r for r in ranks.values() if r is not None]
    if any(r < 1 for r in given):
        problems.append(Problem(_("Ranks start at 1."), field="ranking"))
    duplicates = sorted({r for r in given if given.count(r) > 1})
    if duplicates:
        problems.append(
            Problem(_("Two applicants share rank %(r)s.") % {"r": ", ".join(map(str, duplicates))}, field="ranking")
        )
    both = [applications[pk].student.number for pk in declined if ranks.get(pk) is not None and pk in applications]
    if both:
        problems.append(
            Problem(_("Ranked and declined at once: %(v)s") % {"v": ", ".join(sorted(both))}, field="ranking")
        )
    if problems:
        raise CbecError(problems)
    changed = 0
    for pk, application in applications.items():
        rank, out = ranks.get(pk), pk in declined
        if (application.enterprise_rank, application.declined) != (rank, out):
            application.enterprise_rank, application.declined = rank, out
            application.save(update_fields=["enterprise_rank", "declined"])
            changed += 1
    return changed
