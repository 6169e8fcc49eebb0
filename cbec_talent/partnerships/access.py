"""Who may see what: staff see the whole alliance; an enterprise tutor sees only their own enterprises' posts
and interns; a student sees open posts, their applications and their own placement."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

STAFF_ROLES = ("administrator", "director", "teacher")
EDIT_ROLES = ("administrator", "director")


def posts_for_user(user):
    from .models import InternshipPost

    qs = InternshipPost.objects.select_related("enterprise")
    if has_any_role(user, STAFF_ROLES):
        return qs
    if user.has_role("enterprise_tutor"):
        return qs.filter(enterprise__members=user)
    if user.has_role("student"):
        return qs.filter(is_open=True)
    return qs.none()


def placements_for_user(user):
    from .models import Placement

    qs = Placement.objects.select_related("student", "post__enterprise", "school_tutor", "enterprise_tutor")
    if has_any_role(user, STAFF_ROLES):
        return qs
    if user.has_role("enterprise_tutor"):
        return qs.filter(post__enterprise__members=user)
    if user.has_role("student"):
        return qs.filter(student__user=user)
    return qs.none()


def access_post_for_user(user, post, action: str = "view"):
    """view: see it; change: directors/administrators; rank (its applicants): directors/administrators and the
    post's own enterprise tutors, whatever other roles they hold."""
    if action == "view" and posts_for_user(user).filter(pk=post.pk).exists():
        return post
    if action in ("change", "rank") and has_any_role(user, EDIT_ROLES):
        return post
    if action == "rank" and user.has_role("enterprise_tutor") and post.enterprise.members.filter(pk=user.pk).exists():
        return post
    raise PermissionDenied


def tutor_side(user, placement) -> str | None:
    """'school' when the user is the placement's school tutor, 'enterprise' when they belong to the post's
    enterprise (and hold the enterprise tutor role), else None."""
    if placement.school_tutor_id is not None and placement.school_tutor_id == user.pk:
        return "school"
    if user.has_role("enterprise_tutor") and placement.post.enterprise.members.filter(pk=user.pk).exists():
        return "enterprise"
    return None


def access_placement_for_user(user, placement, action: str = "view"):
    """view: staff, members of the post's enterprise, the student themself; change: directors/administrators;
    write: the student themself (check-ins, weekly logs); tutor: the school tutor or an enterprise member."""
    if action == "view" and placements_for_user(user).filter(pk=placement.pk).exists():
        return placement
    if action == "change" and has_any_role(user, EDIT_ROLES):
        return placement
    if action == "write" and user.has_role("student") and placement.student.user_id == user.pk:
        return placement
    if action == "tutor" and tutor_side(user, placement) is not None:
        return placement
    raise PermissionDenied


def access_enterprise_for_user(user, enterprise, action: str = "view"):
    """view: staff, and the enterprise's own tutors; change: directors/administrators."""
    if action == "view" and has_any_role(user, STAFF_ROLES):
        return enterprise
    if action == "view" and user.has_role("enterprise_tutor") and enterprise.members.filter(pk=user.pk).exists():
        return enterprise
    if action == "change" and has_any_role(user, EDIT_ROLES):
        return enterprise
    raise PermissionDenied
