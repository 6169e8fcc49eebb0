"""Home-page cards of teacher development: the share of dual-qualified school teachers (staff), or the link to
one's own profile (an enterprise tutor with a profile)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from . import selectors
from .access import STAFF_ROLES
from .models import Teacher


def cards(user) -> list[dict]:
    if has_any_role(user, STAFF_ROLES):
        dual, school = selectors.dual_share()
        return [
            {
                "key": "dual_qualified",
                "value": f"{round(100 * dual / school, 1):g}%" if school else "—",
                "label": _("Dual-qualified school teachers"),
                "url": reverse("faculty:index"),
            },
            {
                "key": "part_time_teachers",
                "value": Teacher.objects.filter(kind=Teacher.Kind.ENTERPRISE).count(),
                "label": _("Enterprise part-time teachers"),
                "url": reverse("faculty:courses"),
            },
        ]
    if user.has_role("enterprise_tutor") and Teacher.objects.filter(user=user).exists():
        return [
            {
                "key": "my_teacher_profile",
                "value": "✓",
                "label": _("My teacher profile"),
                "url": reverse("faculty:mine"),
            }
        ]
    return []


def workbench(user) -> list[dict]:
    """Teacher: grades still to enter and students at risk in the courses of their teacher profile (a fixed
    number of queries and one roll-up per programme, whatever the number of classes)."""
    if not user.has_role("teacher"):
        return []
    from django.db.models import Count, F

    from cbec_talent.cohorts.models import Enrolment, Grade, SchoolClass, Student
    from cbec_talent.cohorts.selectors import figures
    from cbec_talent.programmes.models import Course

    courses = list(
        Course.objects.filter(teachers__user=user)
        .select_related("programme")
        .annotate(n_components=Count("assessment_components", distinct=True))
        .order_by("programme_id", "order")
    )
    planned = [c for c in courses if c.n_components]
    enrolled = (
        Enrolment.objects.filter(course__in=planned)
        .values("course_id", "student__school_class_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    graded = {
        (r["component__course_id"], r["student__school_class_id"]): r["n"]
        for r in Grade.objects.filter(
            component__course__in=planned, student__enrolments__course_id=F("component__course_id")
        )
        .values("component__course_id", "student__school_class_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    by_pk = {c.pk: c for c in planned}
    classes = SchoolClass.objects.in_bulk({r["student__school_class_id"] for r in enrolled})
    grade_rows = []
    for r in enrolled:
        course, klass = by_pk[r["course_id"]], classes[r["student__school_class_id"]]
        expected = r["n"] * course.n_components
        missing = expected - graded.get((course.pk, klass.pk), 0)
        if missing > 0:
            grade_rows.append(
                {
                    "text": f"{klass.name} · {course.code} {course.name}",
                    "detail": _("%(missing)d of %(expected)d grades still to enter")
                    % {"missing": missing, "expected": expected},
                    "url": reverse("cohorts:grades", args=[klass.pk, course.pk]),
                    "state": "due",
                    "data": f"grades:{klass.pk}:{course.code}",
                }
            )
    risk_rows = []
    by_programme: dict[int, list] = {}
    for c in planned:
        by_programme.setdefault(c.programme_id, []).append(c)
    for mine in by_programme.values():
        programme = mine[0].programme
        students = Student.objects.filter(enrolments__course__in=mine).distinct().order_by("number")
        fig = figures(programme, students)
        if fig.result is None:
            continue
        risk = float(fig.setting.risk_percent)
        column = {c.code: k for k, c in enumerate(fig.courses)}
        for i, student in enumerate(fig.students):
            for c in mine:
                v = fig.result.course_values[i, column[c.code]] if c.code in column else float("nan")
                if v == v and 100 * v < risk:
                    risk_rows.append(
                        {
                            "text": f"{student.number} {student.name}",
                            "detail": _("%(course)s at %(value)s%% (at risk below %(risk)s%%)")
                            % {"course": c.code, "value": f"{100 * v:.1f}", "risk": f"{risk:g}"},
                            "url": reverse("cohorts:student", args=[student.pk]),
                            "state": "due",
                            "data": f"risk:{student.number}:{c.code}",
                        }
                    )
    no_course = _("No course is linked to your teacher profile yet.")
    return [
        {
            "role": "teacher",
            "key": "grades_to_enter",
            "order": 10,
            "title": _("Grades still to enter"),
            "figure": str(len(grade_rows)),
            "rows": grade_rows,
            "empty": _("Every grade of your courses is entered.") if planned else no_course,
        },
        {
            "role": "teacher",
            "key": "students_at_risk",
            "order": 30,
            "title": _("Students at risk in your courses"),
            "figure": str(len(risk_rows)),
            "rows": risk_rows[:15],
            "empty": _("Nobody is below the risk threshold in your courses.") if planned else no_course,
        },
    ]
