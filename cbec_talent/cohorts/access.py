"""Who may see or change cohorts, plans and grades: administrators and directors manage, teachers enter
grades and read reports, a student sees only their own profile, enterprise tutors nothing (for now)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cbec_talent.core.access import has_any_role

READ_ROLES = ("administrator", "director", "teacher")
EDIT_ROLES = ("administrator", "director")
GRADE_ROLES = ("administrator", "director", "teacher")
PROFILE_ROLES = ("administrator", "director", "teacher", "student")


def can_manage(user) -> bool:
    return has_any_role(user, EDIT_ROLES)


def access_cohort_for_user(user, cohort, action: str = "view"):
    roles = {"view": READ_ROLES, "change": EDIT_ROLES}.get(action, ())
    if not has_any_role(user, roles):
        raise PermissionDenied
    return cohort


def access_school_class_for_user(user, school_class, action: str = "view"):
    roles = {"view": READ_ROLES, "grade": GRADE_ROLES, "change": EDIT_ROLES}.get(action, ())
    if not has_any_role(user, roles):
        raise PermissionDenied
    return school_class


def access_student_for_user(user, student, action: str = "view"):
    """Staff read every profile; a student only the one linked to their own login."""
    if action == "view" and has_any_role(user, READ_ROLES):
        return student
    if action == "view" and has_any_role(user, ("student",)) and student.user_id and student.user_id == user.pk:
        return student
    raise PermissionDenied


def access_plan_for_user(user, course, action: str = "view"):
    roles = {"view": READ_ROLES, "change": EDIT_ROLES}.get(action, ())
    if not has_any_role(user, roles):
        raise PermissionDenied
    return course


def access_stage_gate_for_user(user, student, action: str = "view"):
    """Staff read every student's five-in-one gates, a student their own; only directors (and administrators)
    open a stage early."""
    if action == "open":
        if not has_any_role(user, EDIT_ROLES):
            raise PermissionDenied
        return student
    return access_student_for_user(user, student, "view")


def teaches_course(user, course) -> bool:
    """Whether the user's teacher profile (faculty) lists the course among the courses taught."""
    return bool(getattr(user, "pk", None)) and course.teachers.filter(user_id=user.pk).exists()


def can_define_objectives(user, course) -> bool:
    return has_any_role(user, EDIT_ROLES) or (has_any_role(user, ("teacher",)) and teaches_course(user, course))


def access_course_objectives_for_user(user, course, action: str = "view"):
    """Course objectives: staff who grade read them with the class figures; ``define`` (write the objectives
    and link the assessment items) is for directors (and administrators) and the teachers of the course."""
    if action == "define":
        if not can_define_objectives(user, course):
            raise PermissionDenied
        return course
    if not has_any_role(user, GRADE_ROLES):
        raise PermissionDenied
    return course
