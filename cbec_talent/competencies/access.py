"""Who may see or change a framework (the one access helper for the entity)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

READ_ROLES = ("administrator", "director", "teacher", "enterprise_tutor", "student")
EDIT_ROLES = ("administrator", "director")


def can_edit_frameworks(user) -> bool:
    return has_any_role(user, EDIT_ROLES)


def access_framework_for_user(user, framework, action: str = "view"):
    """Return the framework if `user` may perform `action` (view, export, change, delete) on it; else 403."""
    if action in ("view", "export"):
        allowed = has_any_role(user, READ_ROLES)
    elif action == "change":
        allowed = has_any_role(user, EDIT_ROLES) and not framework.is_reference
    elif action == "delete":
        allowed = has_any_role(user, EDIT_ROLES) and not framework.is_reference
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied
    return framework
