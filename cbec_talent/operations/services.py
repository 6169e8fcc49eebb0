"""Writes of the operations app: the worker's heartbeat, the sweep of jobs whose worker died, retrying a job.

A `cbec-talent worker` process refreshes its WorkerHeartbeat row every HEARTBEAT_SECONDS. A task that is
"running" while the worker that claimed it has not been heard of for STALE_SECONDS (or said it stopped) was
interrupted: the sweep marks it failed and lets the task's own app put its object in a clear state (an import
removes what it stored and says "interrupted", a retag keeps the previous tags, an optimiser run is failed).
The sweep runs when a worker starts and every SWEEP_SECONDS while one runs; the job queue page retries.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from cbec_talent.core import audit

from .models import WorkerHeartbeat

HEARTBEAT_SECONDS = float(os.environ.get("CBEC_HEARTBEAT_SECONDS", "2"))
STALE_SECONDS = float(os.environ.get("CBEC_WORKER_STALE_SECONDS", "15"))
SWEEP_SECONDS = float(os.environ.get("CBEC_SWEEP_SECONDS", "5"))

#: task path -> (interrupted hook, retry hook), dotted paths of functions taking the task's args. The interrupted
#: hook puts the task's object in a clear state; the retry hook makes it ready to run again and queues it.
TASK_HOOKS: dict[str, tuple[str, str]] = {
    "cbec_talent.labour_market.services.run_import": (
        "cbec_talent.labour_market.recovery.import_interrupted",
        "cbec_talent.labour_market.recovery.import_retry",
    ),
    "cbec_talent.labour_market.services.run_retag": (
        "cbec_talent.labour_market.recovery.retag_interrupted",
        "cbec_talent.labour_market.recovery.retag_retry",
    ),
    "cbec_talent.programmes.optimisation.run_optimiser": (
        "cbec_talent.programmes.recovery.optimiser_interrupted",
        "cbec_talent.programmes.recovery.optimiser_retry",
    ),
}


def heartbeat_beat(*, worker_id: str, current_task: str = "", current_task_name: str = "", done: int = 0) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        last_seen=now,
        current_task=current_task,
        current_task_name=current_task_name[:200],
        tasks_done=done,
        stopped_at=None,
    )
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:200],
            pid=os.getpid(),
            started_at=now,
            last_seen=now,
            current_task=current_task,
            current_task_name=current_task_name[:200],
            tasks_done=done,
        )


def heartbeat_stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now(), current_task="")


def alive_workers(now: dt.datetime | None = None):
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(
        stopped_at__isnull=True, last_seen__gte=now - dt.timedelta(seconds=STALE_SECONDS)
    )


def _hook(task_path: str, which: int):
    hooks = TASK_HOOKS.get(task_path)
    return import_string(hooks[which]) if hooks else None


def sweep_interrupted(now: dt.datetime | None = None) -> list[str]:
    """Mark failed every running task whose worker is gone; returns their ids."""
    now = now or timezone.now()
    alive = set(alive_workers(now).values_list("worker_id", flat=True))
    swept = []
    for result in DBTaskResult.objects.filter(status="RUNNING").order_by("started_at"):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker in alive:
            continue
        with transaction.atomic():
            locked = DBTaskResult.objects.select_for_update().filter(pk=result.pk, status="RUNNING").first()
            if locked is None:
                continue
            locked.status = "FAILED"
            locked.finished_at = now
            locked.exception_class_path = "cbec_talent.operations.WorkerDied"
            locked.traceback = f"The worker {worker or '?'} stopped while running this task (no heartbeat)."
            locked.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        hook = _hook(result.task_path, 0)
        if hook is not None:
            hook(*result.args_kwargs.get("args", []), **result.args_kwargs.get("kwargs", {}))
        audit.record(audit.UPDATE, locked, actor=None, after={"status": "FAILED", "reason": "worker died"})
        swept.append(str(result.pk))
    return swept


def task_retry(*, task_id, actor=None) -> DBTaskResult | None:
    """Queue a failed task again (its app first puts its object back to "queued"); returns the new task row."""
    result = DBTaskResult.objects.get(pk=task_id)
    if result.status != "FAILED":
        from django.utils.translation import gettext as _

        from cbec_talent.core.errors import CbecError

        raise CbecError(_("Only failed jobs can be retried."))
    args, kwargs = result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {})
    hook = _hook(result.task_path, 1)
    if hook is not None:
        new = hook(*args, **kwargs)
    else:
        new = import_string(result.task_path).enqueue(*args, **kwargs)
    audit.record(audit.UPDATE, result, actor=actor, after={"retried": True})
    new_id = getattr(new, "id", None)
    try:  # the immediate backend (tests, demo) gives no database row
        return DBTaskResult.objects.filter(pk=uuid.UUID(str(new_id))).first() if new_id else None
    except ValueError:
        return None
