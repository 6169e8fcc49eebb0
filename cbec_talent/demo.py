"""The sample college of `make demo`: the reference framework, the taxonomies and one user per role."""

from __future__ import annotations

from django.db import transaction

from cbec_talent.accounts.models import Role, User, UserRole

DEMO_PASSWORD = "Cbec-demo-2026"
DEMO_USERS = [
    ("admin", "系统管理员 Admin", [Role.ADMINISTRATOR], True),
    ("director", "王主任 Director Wang", [Role.DIRECTOR, Role.TEACHER], False),
    ("teacher", "李老师 Teacher Li", [Role.TEACHER], False),
    ("tutor", "陈经理 Tutor Chen（企业导师）", [Role.ENTERPRISE_TUTOR], False),
    ("student", "张同学 Student Zhang", [Role.STUDENT], False),
]


@transaction.atomic
def create_demo_users(password: str = DEMO_PASSWORD) -> list[tuple[str, str, list[str]]]:
    out = []
    for username, display, roles, is_admin in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        user.display_name = display
        user.email = user.email or f"{username}@demo.cbec-talent.local"
        user.is_staff = is_admin
        user.is_superuser = is_admin
        user.set_password(password)
        user.save()
        for role in roles:
            UserRole.objects.get_or_create(user=user, role=role)
        out.append((username, password, [str(Role(r).label) for r in roles]))
    return out
