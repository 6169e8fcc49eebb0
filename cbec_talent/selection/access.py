"""Who may see what of a class selection: staff see every selection; an enterprise tutor the order-class
selections of their own enterprises' agreements (the whole ranking); a student only the published selections they
are a candidate in (their own line); directors and administrators change them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import STAFF_ROLES, has_any_role

EDIT_ROLES = ("administrator", "director")
VIEW_RESULT_ROLES = (*STAFF_ROLES, "enterprise_tutor")


def selections_for_user(user):
    from .models import ClassSelection

    qs = ClassSelection.objects.all()
    if has_any_role(user, STAFF_ROLES):
        return qs
    if user.has_role("enterprise_tutor"):
        return qs.filter(kind=ClassSelection.Kind.ORDER_CLASS, agreement__enterprise__members=user).distinct()
    if user.has_role("student"):
        return qs.filter(status=ClassSelection.Status.PUBLISHED, candidates__student__user=user).distinct()
    return qs.none()


def access_selection_for_user(user, selection, action: str = "view"):
    """view: whoever the selection is visible to; result: staff and the enterprise's tutors (the whole ranking);
    change: directors and administrators."""
    visible = selections_for_user(user).filter(pk=selection.pk).exists()
    if action == "view" and visible:
        return selection
    if action == "result" and visible and has_any_role(user, VIEW_RESULT_ROLES):
        return selection
    if action == "change" and has_any_role(user, EDIT_ROLES):
        return selection
    raise PermissionDenied
