"""Who may see or change what: staff see every teacher; directors and administrators change anything; a teacher
changes only their own ledger; an enterprise tutor sees only their own profile; students see nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

STAFF_ROLES = ("administrator", "director", "teacher")
EDIT_ROLES = ("administrator", "director")
PROFILE_ROLES = (*STAFF_ROLES, "enterprise_tutor")


def can_edit(user) -> bool:
    return has_any_role(user, EDIT_ROLES)


def is_own(user, teacher) -> bool:
    return user.is_authenticated and teacher.user_id is not None and teacher.user_id == user.pk


def can_ledger(user, teacher) -> bool:
    return can_edit(user) or (user.has_role("teacher") and is_own(user, teacher))


def access_teacher_for_user(user, teacher, action: str = "view"):
    """view: staff, or the person the profile belongs to; change (the profile itself): directors and
    administrators; ledger (add or change its entries): directors, administrators, and a teacher on their own
    profile."""
    if action == "view" and (
        has_any_role(user, STAFF_ROLES) or (is_own(user, teacher) and has_any_role(user, PROFILE_ROLES))
    ):
        return teacher
    if action == "change" and can_edit(user):
        return teacher
    if action == "ledger" and can_ledger(user, teacher):
        return teacher
    raise PermissionDenied


def access_entry_for_user(user, entry, action: str = "view"):
    """A ledger entry follows its teacher: `change` means the ledger right on the entry's teacher."""
    access_teacher_for_user(user, entry.teacher, "ledger" if action == "change" else "view")
    return entry
