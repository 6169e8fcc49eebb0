"""The health check answers everyone (monitoring signs in as no one); the job queue is the administrator's."""

ADMIN_ONLY = {"administrator": 200, "director": 403, "teacher": 403, "enterprise_tutor": 403, "student": 403}

EXPECTATIONS = {
    "healthz": ("/healthz", "get", {r: 200 for r in ADMIN_ONLY}, 200),
    "operations:jobs": ("/operations/jobs/", "get", ADMIN_ONLY, 302),
    "operations:job_retry": (
        "/operations/jobs/{job}/retry/",
        "post",
        {**ADMIN_ONLY, "administrator": 302},
        302,
    ),
}


def prepare(role_users, reference):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from cbec_talent.operations.services import heartbeat_beat

    heartbeat_beat(worker_id="matrix-worker")
    job = DBTaskResult.objects.create(
        status="SUCCESSFUL", args_kwargs={"args": [], "kwargs": {}}, task_path="cbec_talent.practice.tasks.x",
        backend_name="default", run_after=timezone.now(),
    )
    return {"job": job.pk}
