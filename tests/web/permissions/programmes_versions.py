"""Permission expectations for programme versions and optimiser runs."""

STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
EDIT_POST = {"administrator": 302, "director": 302, "teacher": 403, "enterprise_tutor": 403, "student": 403}

EXPECTATIONS = {
    "programmes:course_new": ("/programmes/{prog}/courses/new/", "get", {**STAFF, "teacher": 403}, 302),
    "programmes:course_delete": ("/programmes/{prog}/courses/GC07/delete/", "post", EDIT_POST, 302),
    "programmes:copy": ("/programmes/{prog}/copy/", "post", EDIT_POST, 302),
    "programmes:diff": ("/programmes/{prog}/diff/", "get", STAFF, 302),
    "programmes:optimise": ("/programmes/{prog}/optimise/", "post", EDIT_POST, 302),
    "programmes:optimiser_run": ("/programmes/{prog}/optimiser/{run}/", "get", STAFF, 302),
}


def prepare(role_users, reference):
    from cbec_talent.programmes.models import OptimiserRun, Programme

    run = OptimiserRun.objects.create(programme=Programme.objects.get(code="P000-CBEC"), status="done", progress=1.0)
    return {"run": run.pk}
