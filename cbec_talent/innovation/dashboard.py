"""Home-page cards of the creating space."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .access import STAFF_ROLES, own_student, projects_for_user
from .models import Entry, Project, Team, TeamMember


def cards(user) -> list[dict]:
    out = []
    if has_any_role(user, STAFF_ROLES):
        out.append(
            {
                "key": "innovation_teams",
                "value": Team.objects.filter(project__status__in=(Project.Status.OPEN, Project.Status.RUNNING)).count(),
                "label": _("Active creating-space teams"),
                "url": reverse("innovation:index"),
            }
        )
    elif has_any_role(user, ("enterprise_tutor",)):
        out.append(
            {
                "key": "innovation_projects",
                "value": projects_for_user(user).count(),
                "label": _("Creating-space projects I mentor"),
                "url": reverse("innovation:index"),
            }
        )
    student = own_student(user)
    if student is not None:
        awards = (
            Entry.objects.filter(team__memberships__student=student)
            .exclude(award__in=["", Entry.Award.PARTICIPATION])
            .count()
        )
        out.append(
            {
                "key": "my_creating_space",
                "value": f"{TeamMember.objects.filter(student=student).count()} / {awards}",
                "label": _("My creating space: teams / awards"),
                "url": reverse("innovation:me"),
            }
        )
    return out
