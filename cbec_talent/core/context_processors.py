from django.conf import settings

from .access import user_roles


def navigation(request):
    roles = user_roles(getattr(request, "user", None))
    return {
        "nav_roles": roles,
        "is_staff_role": bool(roles & {"administrator", "director", "teacher"}),
        "is_admin_role": "administrator" in roles,
        "is_editor_role": bool(roles & {"administrator", "director"}),
        "available_languages": settings.LANGUAGES,
    }
