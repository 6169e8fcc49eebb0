"""Who may do what with credentials: anyone (no sign-in) verifies a credential and reads the status list and the
issuer's key; administrators and directors issue and revoke; teachers read a student's credentials; a student
reads and downloads only their own; enterprise tutors nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

ISSUE_ROLES = ("administrator", "director")
READ_ROLES = ("administrator", "director", "teacher")
STUDENT_PAGE_ROLES = ("administrator", "director", "teacher", "student")


def can_issue(user) -> bool:
    return has_any_role(user, ISSUE_ROLES)


def access_student_credentials_for_user(user, student, action: str = "view"):
    if action == "view" and has_any_role(user, READ_ROLES):
        return student
    if action == "view" and has_any_role(user, ("student",)) and student.user_id and student.user_id == user.pk:
        return student
    if action == "issue" and has_any_role(user, ISSUE_ROLES):
        return student
    raise PermissionDenied


def access_credential_for_user(user, credential, action: str = "view"):
    if action == "revoke":
        if has_any_role(user, ISSUE_ROLES):
            return credential
        raise PermissionDenied
    access_student_credentials_for_user(user, credential.student, "view")
    return credential
