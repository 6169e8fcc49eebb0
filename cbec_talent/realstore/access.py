"""Who may do what with a real store: staff read every store; administrators and directors open a store for a
student (tutor, component, targets); the student owner imports or types in the weekly figures (staff editors
may too); only the store's own enterprise tutor co-signs or reopens a week; other users get 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

READ_ROLES = ("administrator", "director", "teacher")
EDIT_ROLES = ("administrator", "director")
PAGE_ROLES = ("administrator", "director", "teacher", "enterprise_tutor", "student")


def can_open_store(user) -> bool:
    return has_any_role(user, EDIT_ROLES)


def _owner(user, store) -> bool:
    return has_any_role(user, ("student",)) and store.student.user_id is not None and store.student.user_id == user.pk


def _tutor(user, store) -> bool:
    return has_any_role(user, ("enterprise_tutor",)) and store.tutor_id is not None and store.tutor_id == user.pk


def access_store_for_user(user, store, action: str = "view"):
    if action == "view" and (has_any_role(user, READ_ROLES) or _owner(user, store) or _tutor(user, store)):
        return store
    if action == "enter" and (has_any_role(user, EDIT_ROLES) or _owner(user, store)):
        return store
    if action == "cosign" and _tutor(user, store):
        return store
    raise PermissionDenied


def stores_for_user(user, queryset):
    if has_any_role(user, READ_ROLES):
        return queryset
    if has_any_role(user, ("enterprise_tutor",)) or has_any_role(user, ("student",)):
        from django.db.models import Q

        return queryset.filter(Q(tutor_id=user.pk) | Q(student__user_id=user.pk))
    return queryset.none()
