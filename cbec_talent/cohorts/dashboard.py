"""Home-page cards of the students and attainment app."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cbec_talent.core.access import has_any_role

from .models import Student


def cards(user) -> list[dict]:
    out = []
    if has_any_role(user, ("administrator", "director", "teacher")):
        out.append(
            {
                "key": "students",
                "value": Student.objects.count(),
                "label": _("Students"),
                "url": reverse("cohorts:list"),
            }
        )
    return out


def _student_panels(student) -> list[dict]:
    from . import selectors
    from .stages import current_stage

    fig = selectors.class_figures(student.school_class)
    positions = selectors.programme_positions(student.school_class.cohort.programme)
    position = positions[0] if positions else None
    profile = selectors.student_profile(student, position, fig=fig)
    setting = fig.setting
    risk = float(setting.risk_percent)
    grade_rows = []
    for course, value in profile["course_rows"]:
        grade_rows.append(
            {
                "text": f"{course.code} {course.name}",
                "detail": _("not graded yet") if value is None else f"{value:g}%",
                "state": "info" if value is None else ("due" if value < risk else "ok"),
                "data": f"course:{course.code}",
            }
        )
    gaps = profile["gaps"]
    gap_rows = [
        {
            "text": f"{g['code']} {g['name']}",
            "detail": _("%(value)s of %(target)s%%; courses: %(courses)s")
            % {
                "value": "—" if g["value"] is None else f"{g['value']:g}%",
                "target": f"{g['target']:g}",
                "courses": ", ".join(c.code for c, _s in g["courses"][:3]) or "—",
            },
            "state": "due",
            "data": f"gap:{g['code']}",
        }
        for g in gaps
    ]
    met = len(profile["radar"]["indicators"]) - len(gaps)
    gates = selectors.gates_of(fig, student)
    now = current_stage(gates)
    gate_rows = [
        {
            "text": g.label,
            "detail": g.why,
            "state": ("ok" if g.reached else "info") if g.open else "due",
            "data": f"gate:{g.stage}:{'open' if g.open else 'closed'}{':early' if g.early else ''}",
        }
        for g in gates
    ]
    profile_url = reverse("cohorts:student", args=[student.pk])
    return [
        {
            "role": "student",
            "key": "my_stage",
            "order": 5,
            "title": _("My five-in-one stage"),
            "figure": now.label,
            "rows": gate_rows,
            "empty": "",
        },
        {
            "role": "student",
            "key": "my_grades",
            "order": 20,
            "title": _("My grades so far"),
            "rows": grade_rows,
            "empty": _("No course with an assessment plan yet."),
            "link": {"url": profile_url, "label": _("My competency profile")},
        },
        {
            "role": "student",
            "key": "my_attainment",
            "order": 30,
            "title": _("Attainment against %(position)s") % {"position": position.name if position else "—"},
            "figure": f"{met}/{len(profile['radar']['indicators'])}",
            "note": _("Competencies at the level the position requires / all it requires; below: what is missing."),
            "rows": gap_rows,
            "empty": _("Every competency the position requires is at its level."),
            "link": {"url": profile_url, "label": _("See the radar and the explanations")},
        },
    ]


def workbench(user) -> list[dict]:
    """Student: the five-in-one stage, grades so far, attainment against the target position (one roll-up of
    the student's class)."""
    if not user.has_role("student"):
        return []
    student = Student.objects.filter(user=user).select_related("school_class__cohort__programme").first()
    if student is None:
        return []
    return _student_panels(student)
