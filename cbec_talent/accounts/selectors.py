from django.db.models import Q

from .models import AuditLog, Role


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
        out.extend(module.cards(user))
    return out


def dashboard_for(user) -> dict:
    """What each role sees first: the figures and the next steps that matter to it."""
    from cbec_talent.competencies.models import Competency, Framework, Occupation, Position
    from cbec_talent.competencies.selectors import default_framework

    fw = default_framework()
    roles = user.role_codes
    cards = []
    if fw is not None:
        cards.append({"key": "competencies", "value": Competency.objects.filter(framework=fw).count()})
        cards.append({"key": "positions", "value": Position.objects.filter(framework=fw).count()})
    cards.append({"key": "frameworks", "value": Framework.objects.count()})
    cards.append({"key": "occupations", "value": Occupation.objects.count()})
    cards.extend(app_cards(user))
    return {
        "framework": fw,
        "cards": cards,
        "role_labels": [label for code, label in Role.choices if code in roles],
        "roles": roles,
        "recent": AuditLog.objects.filter(actor=user).order_by("-at")[:5],
    }
