"""Who may see or change a programme: directors and administrators edit, teachers read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

READ_ROLES = ("administrator", "director", "teacher")
EDIT_ROLES = ("administrator", "director")


def can_edit_programmes(user) -> bool:
    return has_any_role(user, EDIT_ROLES)


def access_programme_for_user(user, programme, action: str = "view"):
    if action == "view":
        allowed = has_any_role(user, READ_ROLES)
    elif action == "change":
        allowed = has_any_role(user, EDIT_ROLES)
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied
    return programme
