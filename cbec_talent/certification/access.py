"""Who may see or change graduation audits: staff read every audit, administrators and directors enter
certificates and practice certifications, a student sees only their own audit, enterprise tutors nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

READ_ROLES = ("administrator", "director", "teacher")
EDIT_ROLES = ("administrator", "director")
AUDIT_ROLES = ("administrator", "director", "teacher", "student")


def can_edit(user) -> bool:
    return has_any_role(user, EDIT_ROLES)


def access_audit_for_user(user, student, action: str = "view"):
    """The audit of one student: staff read any; a student only the one linked to their own login."""
    if action == "view" and has_any_role(user, READ_ROLES):
        return student
    if action == "view" and has_any_role(user, ("student",)) and student.user_id and student.user_id == user.pk:
        return student
    if action == "change" and has_any_role(user, EDIT_ROLES):
        return student
    raise PermissionDenied


def access_cohort_summary_for_user(user, cohort):
    if not has_any_role(user, READ_ROLES):
        raise PermissionDenied
    return cohort


def access_held_certificate_for_user(user, held, action: str = "view"):
    roles = {"view": READ_ROLES, "change": EDIT_ROLES}.get(action, ())
    if not has_any_role(user, roles):
        raise PermissionDenied
    return held


CATALOGUE_READ_ROLES = ("administrator", "director", "teacher", "student", "enterprise_tutor")


def access_catalogue_for_user(user, action: str = "view"):
    """The certificate catalogue: everyone signed in reads it; administrators and directors change it."""
    roles = {"view": CATALOGUE_READ_ROLES, "change": EDIT_ROLES}.get(action, ())
    if not has_any_role(user, roles):
        raise PermissionDenied
    return True


APPROVE_ROLES = ("director",)


def can_approve_credit(user) -> bool:
    """学分认定 is approved by the programme director (the director role), not by an administrator."""
    return has_any_role(user, APPROVE_ROLES)


def access_credit_for_user(user, credit, action: str = "request"):
    roles = {"request": EDIT_ROLES, "decide": APPROVE_ROLES}.get(action, ())
    if not has_any_role(user, roles):
        raise PermissionDenied
    return credit


def access_coverage_for_user(user, programme, action: str = "view"):
    roles = {"view": READ_ROLES, "change": EDIT_ROLES}.get(action, ())
    if not has_any_role(user, roles):
        raise PermissionDenied
    return programme
