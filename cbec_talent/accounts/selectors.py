from django.db.models import Q

from .models import AuditLog, Role, UserFlag


def audit_entries(query: str = ""):
    qs = AuditLog.objects.select_related("actor")
    if query:
        qs = qs.filter(
            Q(actor_name__icontains=query) | Q(object_type__icontains=query) | Q(object_repr__icontains=query)
        )
    return qs


DASHBOARD_APPS = (
    "programmes",
    "labour_market",
    "cohorts",
    "practice",
    "partnerships",
    "selection",
    "certification",
    "faculty",
    "innovation",
)


def app_cards(user) -> list[dict]:
    """Cards each app offers this user (an app opts in with `<app>/dashboard.py: cards(user)`)."""
    import importlib

    out = []
    for app in DASHBOARD_APPS:
        try:
            module = importlib.import_module(f"cbec_talent.{app}.dashboard")
        except ModuleNotFoundError:
            continue
        out.extend(getattr(module, "cards", lambda _user: [])(user))
    return out


#: The workbenches of the home page, in display order; an app adds panels with
#: `<app>/dashboard.py: workbench(user) -> [{"role", "key", "title", "rows", "empty", ...}]`.
WORKBENCH_ROLES = ("director", "teacher", "enterprise_tutor", "student")


def workbench_panels(user) -> dict[str, list[dict]]:
    """Role -> the panels each app offers this user ("what should I do now, and how am I doing")."""
    import importlib

    by_role: dict[str, list[dict]] = {role: [] for role in WORKBENCH_ROLES}
    for app in DASHBOARD_APPS:
        try:
            module = importlib.import_module(f"cbec_talent.{app}.dashboard")
        except ModuleNotFoundError:
            continue
        for panel in getattr(module, "workbench", lambda _user: [])(user):
            by_role.setdefault(panel["role"], []).append(panel)
    for panels in by_role.values():
        panels.sort(key=lambda p: p.get("order", 50))
    return by_role


def flags_of(user) -> set[str]:
    """The keys remembered for the user (accounts.services.flag_set)."""
    if not getattr(user, "pk", None):
        return set()
    return set(UserFlag.objects.filter(user=user).values_list("key", flat=True))


def guides_for(user) -> list[dict]:
    """Guided paths the apps offer this user and that the user has not dismissed (an app opts in with
    `<app>/dashboard.py: guide(user, flags) -> {"key", "title", "intro", "steps": [{"label", "url", "done"}]}`)."""
    import importlib

    flags = flags_of(user)
    out = []
    for app in DASHBOARD_APPS:
        try:
            module = importlib.import_module(f"cbec_talent.{app}.dashboard")
        except ModuleNotFoundError:
            continue
        guide = getattr(module, "guide", lambda _user, _flags: None)(user, flags)
        if guide and f"guide_dismissed:{guide['key']}" not in flags:
            out.append(guide)
    return out


def dashboard_for(user) -> dict:
    """What each role sees first: its workbench (what is due, how it is going), then the app figures."""
    from cbec_talent.competencies.selectors import default_framework

    roles = user.role_codes
    panels = workbench_panels(user)
    labels = dict(Role.choices)
    workbenches = [
        {"role": role, "label": labels[role], "panels": panels[role]} for role in WORKBENCH_ROLES if panels.get(role)
    ]
    return {
        "framework": default_framework(),
        "workbenches": workbenches,
        "guides": guides_for(user),
        "cards": app_cards(user),
        "role_labels": [label for code, label in Role.choices if code in roles],
        "roles": roles,
        "recent": AuditLog.objects.filter(actor=user).order_by("-at")[:5],
    }
