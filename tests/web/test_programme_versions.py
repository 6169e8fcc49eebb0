"""Programme versions with a readable diff, and the optimiser as a background task with progress."""

from __future__ import annotations

import pytest

from cbec_talent.programmes.models import Course, OptimiserRun, Programme
from cbec_talent.programmes.services import course_update
from cbec_talent.programmes.versioning import programme_copy, programme_diff


@pytest.fixture
def sample(db):
    return Programme.objects.get(code="P000-CBEC")


def test_copy_then_diff_names_moved_changed_and_coverage(sample):
    new = programme_copy(programme=sample, version="2027")
    assert programme_diff(sample, new).empty
    course = Course.objects.get(programme=new, code="SP01")
    course_update(
        course=course,
        credits=course.credits + 1,
        theory_hours=course.theory_hours + 16,
        practice_hours=course.practice_hours,
        semesters=[s + 1 for s in course.semesters],
        required=course.required,
        prerequisites=course.prerequisites,
        teaching_mode=course.teaching_mode,
        stage=course.stage,
        supports={},
    )
    diff = programme_diff(sample, new)
    assert [c.code for c in diff.moved] == ["SP01"]
    changed = {f for c in diff.changed for f, _a, _b in c.changes}
    assert {"credits", "theory_hours", "supports"} <= changed
    assert ("credits", "150", "151") in diff.totals
    assert not diff.added and not diff.removed


def test_diff_page_and_copy_view(client, role_users, sample):
    client.force_login(role_users["director"])
    response = client.post(f"/programmes/{sample.pk}/copy/", {"version": "v2"})
    new = Programme.objects.get(code="P000-CBEC", version="v2")
    assert response.status_code == 302 and response["Location"] == f"/programmes/{new.pk}/"
    page = client.get(f"/programmes/{new.pk}/diff/")
    assert page.status_code == 200 and page.context["diff"].empty


def test_optimiser_runs_in_the_background_and_reports_optimality(
    client, role_users, sample, django_capture_on_commit_callbacks
):
    client.force_login(role_users["director"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/programmes/{sample.pk}/optimise/", {"direction": ""})
    run = OptimiserRun.objects.get(programme=sample)
    assert response["Location"] == f"/programmes/{sample.pk}/optimiser/{run.pk}/"
    assert run.status == "done" and run.progress == 1.0
    assert run.result["status"] == "optimal" and run.result["proven_optimal"] is True
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'data-status="done"' in page.content.decode()
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b"optimiser-plan" in fragment.content and b"<html" not in fragment.content


def test_demand_weights_from_the_gap_report_drive_an_optimiser_run(
    client, role_users, sample, django_capture_on_commit_callbacks
):
    from cbec_talent.labour_market.demo import create_demo_data

    create_demo_data()
    client.force_login(role_users["director"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/demand/gap/optimise/?programme={sample.pk}")
    run = OptimiserRun.objects.get(programme=sample)
    assert response["Location"] == f"/programmes/{sample.pk}/optimiser/{run.pk}/"
    assert run.weights and run.weights_source
    assert run.status == "done" and run.result["status"] == "optimal"
    teacher = role_users["teacher"]
    client.force_login(teacher)
    assert client.post(f"/demand/gap/optimise/?programme={sample.pk}").status_code == 403
