"""Who may see or change what in the creating space.

Staff (administrators, directors, teachers) see and edit everything. A student sees the project library and
the competitions, may create a team on an open project and join or leave teams of their own, and sees their
own record. An enterprise tutor sees the projects they mentor or that come from their enterprise, nothing else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from cbec_talent.core.access import has_any_role

STAFF_ROLES = ("administrator", "director", "teacher")
EDIT_ROLES = STAFF_ROLES
VIEW_ROLES = ("administrator", "director", "teacher", "enterprise_tutor", "student")
COMPETITION_ROLES = ("administrator", "director", "teacher", "student")


def projects_for_user(user):
    from .models import Project

    qs = Project.objects.select_related("enterprise")
    if has_any_role(user, STAFF_ROLES + ("student",)):
        return qs
    if has_any_role(user, ("enterprise_tutor",)):
        ids = Project.objects.filter(Q(enterprise_mentors=user) | Q(enterprise__members=user)).values("pk")
        return qs.filter(pk__in=ids)
    return qs.none()


def own_student(user):
    """The student record linked to this login, or None."""
    from cbec_talent.cohorts.models import Student

    if not has_any_role(user, ("student",)):
        return None
    return Student.objects.filter(user=user).select_related("school_class").first()


def access_project_for_user(user, project, action: str = "view"):
    """view: see the project; change: edit it and any of its teams; suggest: run the team suggestion;
    team: create a team on it as a student (only while it is open)."""
    if action == "view" and projects_for_user(user).filter(pk=project.pk).exists():
        return project
    if action in ("change", "suggest") and has_any_role(user, EDIT_ROLES):
        return project
    if action == "team" and has_any_role(user, EDIT_ROLES):
        return project
    if action == "team" and own_student(user) is not None and project.status == project.Status.OPEN:
        return project
    raise PermissionDenied


def access_team_for_user(user, team, action: str = "view", student=None):
    """join: a student joins (themself); leave: a student leaves their own team, staff take anyone off."""
    if has_any_role(user, EDIT_ROLES):
        return team
    own = own_student(user)
    if own is None:
        raise PermissionDenied
    if action == "join" and (student is None or student.pk == own.pk) and team.project.status == "open":
        return team
    if action == "leave" and (student is None or student.pk == own.pk):
        if team.memberships.filter(student=own).exists():
            return team
    raise PermissionDenied


def access_competition_for_user(user, competition, action: str = "view"):
    if action == "view" and has_any_role(user, COMPETITION_ROLES):
        return competition
    if action == "change" and has_any_role(user, EDIT_ROLES):
        return competition
    raise PermissionDenied


def access_record_for_user(user, student, action: str = "view"):
    """A student's creating-space record: staff, or the student themself."""
    if action == "view" and has_any_role(user, STAFF_ROLES):
        return student
    if action == "view" and has_any_role(user, ("student",)) and student.user_id and student.user_id == user.pk:
        return student
    if action == "export" and has_any_role(user, STAFF_ROLES):
        return student
    raise PermissionDenied
