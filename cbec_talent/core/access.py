"""Access decisions. Each app has one `access_<entity>_for_user` helper built on these."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

STAFF_ROLES = ("administrator", "director", "teacher")
ALL_ROLES = ("administrator", "director", "teacher", "enterprise_tutor", "student")


def user_roles(user) -> frozenset[str]:
    if user is None or not user.is_authenticated:
        return frozenset()
    return user.role_codes


def has_any_role(user, roles) -> bool:
    return bool(user_roles(user) & set(roles))


def roles_required(*roles):
    """View decorator: anonymous users go to the login page; signed-in users without a role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_any_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_roles = tuple(roles)
        return wrapper

    return decorator
