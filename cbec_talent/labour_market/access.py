"""Who may import postings (administrators, programme directors) and who may read demand figures (staff)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

READ_ROLES = ("administrator", "director", "teacher")
IMPORT_ROLES = ("administrator", "director")


def can_import(user) -> bool:
    return has_any_role(user, IMPORT_ROLES)


def access_posting_import_for_user(user, posting_import, action: str = "view"):
    if action == "view":
        allowed = has_any_role(user, READ_ROLES)
    elif action == "change":
        allowed = has_any_role(user, IMPORT_ROLES)
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied
    return posting_import


def access_alert_for_user(user, alert=None, action: str = "view"):
    """Staff read demand-shift alerts; directors (and administrators) change the alert settings."""
    roles = {"view": READ_ROLES, "change": IMPORT_ROLES}.get(action, ())
    if not has_any_role(user, roles):
        raise PermissionDenied
    return alert


def can_correct_occupation(user) -> bool:
    """Who may set a posting's CSCO occupation by hand (the correction is used by later imports)."""
    return has_any_role(user, IMPORT_ROLES)
