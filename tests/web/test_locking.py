"""Optimistic locking of the grade grid: two teachers open the same grid; the later save of a cell the other one
changed in between is refused with what it is now -- never a silent overwrite -- and untouched cells are not
written back over the other teacher's work."""

from __future__ import annotations

import re

import pytest

from cbec_talent.cohorts import services
from cbec_talent.cohorts.models import Grade, SchoolClass, Student
from cbec_talent.programmes.models import Programme

PLAN = [
    {"code": "EXAM", "kind": "theory_exam", "weight": 40, "competencies": []},
    {"code": "OPS", "kind": "platform_operation", "weight": 60, "competencies": ["OPS.PLATFORM"]},
]


@pytest.fixture
def grid(db, role_users):
    programme = Programme.objects.get(code="P000-CBEC")
    course = programme.courses.get(code="SP01")
    services.plan_save(course=course, components=PLAN)
    cohort = services.cohort_create(programme=programme, intake_year=2025, name="g")
    klass = SchoolClass.objects.create(cohort=cohort, name="L1")
    students = [Student.objects.create(number=f"L{i}", name=f"学生{i}", school_class=klass) for i in range(2)]
    return course, klass, students, {c.code: c for c in course.assessment_components.all()}


def opened_form(client, klass, course) -> dict:
    """Every input of the grid as the browser would post it back."""
    html = client.get(f"/cohorts/classes/{klass.pk}/grades/{course.pk}/").content.decode()
    fields = dict(re.findall(r'name="([gov]-\d+-\d+)" value="([^"]*)"', html))
    assert fields, "the grid has inputs"
    return fields


def test_the_later_save_of_the_same_cell_is_refused_with_what_changed(client, django_user_model, role_users, grid):
    course, klass, (s0, s1), comps = grid
    a = client
    a.force_login(role_users["teacher"])
    form_a = opened_form(a, klass, course)
    from django.test import Client

    b = Client()
    b.force_login(role_users["administrator"])
    form_b = opened_form(b, klass, course)

    cell = f"{s0.pk}-{comps['EXAM'].pk}"
    form_a[f"g-{cell}"] = "80"
    assert a.post(f"/cohorts/classes/{klass.pk}/grades/{course.pk}/", form_a).status_code == 302
    # B opened the grid before A saved; B types 90 in the same cell and 70 in another one
    form_b[f"g-{cell}"] = "90"
    form_b[f"g-{s1.pk}-{comps['OPS'].pk}"] = "70"
    response = b.post(f"/cohorts/classes/{klass.pk}/grades/{course.pk}/", form_b)
    assert response.status_code == 200
    text = response.content.decode()
    assert "L0" in text and "80" in text and "90" in text  # who, what it is now, what B typed
    assert Grade.objects.get(student=s0, component=comps["EXAM"]).score == 80  # A's grade stands
    assert not Grade.objects.filter(student=s1).exists()  # all or nothing: B's other cell waits for B

    # B sees the current value now (hidden version refreshed): saving again deliberately is accepted
    form_b2 = opened_form(b, klass, course)
    form_b2[f"g-{cell}"] = "90"
    assert b.post(f"/cohorts/classes/{klass.pk}/grades/{course.pk}/", form_b2).status_code == 302
    assert Grade.objects.get(student=s0, component=comps["EXAM"]).score == 90


def test_untouched_cells_do_not_overwrite_another_teachers_change(client, role_users, grid):
    course, klass, (s0, s1), comps = grid
    client.force_login(role_users["teacher"])
    stale = opened_form(client, klass, course)
    services.grades_save(school_class=klass, course=course, entries={(s0.pk, comps["OPS"].pk): "66"})
    stale[f"g-{s1.pk}-{comps['EXAM'].pk}"] = "75"  # a different cell
    assert client.post(f"/cohorts/classes/{klass.pk}/grades/{course.pk}/", stale).status_code == 302
    assert Grade.objects.get(student=s0, component=comps["OPS"]).score == 66  # not blanked by the stale grid
    assert Grade.objects.get(student=s1, component=comps["EXAM"]).score == 75


def course_form(client, programme, code) -> dict:
    html = client.get(f"/programmes/{programme.pk}/courses/{code}/edit/").content.decode()
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', html))
    fields["supports"] = re.search(r'<textarea[^>]*name="supports"[^>]*>\s*([^<]*)</textarea>', html).group(1).strip()
    for name in ("teaching_mode", "stage"):
        fields[name] = re.search(rf'name="{name}"[^>]*>.*?<option value="([^"]*)" selected', html, re.S).group(1)
    fields.pop("csrfmiddlewaretoken", None)
    if 'name="required"' in html and re.search(r'name="required"[^>]*checked', html):
        fields["required"] = "on"
    return fields


def test_two_directors_save_the_same_programme_the_later_is_refused_showing_what_changed(role_users):
    from django.test import Client

    programme = Programme.objects.get(code="P000-CBEC")
    code = programme.courses.order_by("code").first().code
    a, b = Client(), Client()
    a.force_login(role_users["director"])
    b.force_login(role_users["administrator"])
    form_a, form_b = course_form(a, programme, code), course_form(b, programme, code)
    assert form_a["lock_version"] == form_b["lock_version"]
    form_a["theory_hours"] = str(int(form_a["theory_hours"]) + 2)
    assert a.post(f"/programmes/{programme.pk}/courses/{code}/edit/", form_a).status_code == 302
    form_b["practice_hours"] = str(int(form_b["practice_hours"]) + 4)
    response = b.post(f"/programmes/{programme.pk}/courses/{code}/edit/", form_b)
    assert response.status_code == 200
    text = response.content.decode()
    assert "theory_hours" in text and form_a["theory_hours"] in text  # what changed, and to what
    course = programme.courses.get(code=code)
    assert course.theory_hours == int(form_a["theory_hours"])  # A's save stands
    assert course.practice_hours == int(form_b["practice_hours"]) - 4  # B's was not applied
