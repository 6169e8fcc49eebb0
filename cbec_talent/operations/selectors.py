"""Reads of the operations app: the site's health (for monitoring), the workers and the job queue."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat
from .services import STALE_SECONDS, TASK_HOOKS, alive_workers

DISK_MIN_FREE_BYTES = 512 * 1024 * 1024


def _disk() -> dict:
    folder = Path(settings.MEDIA_ROOT)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    usage = shutil.disk_usage(folder)
    return {
        "ok": usage.free >= DISK_MIN_FREE_BYTES,
        "free_bytes": usage.free,
        "total_bytes": usage.total,
        "free_percent": round(100 * usage.free / usage.total, 1) if usage.total else 0.0,
    }


def health() -> dict:
    """{status: ok | degraded | down, database, worker, disk}: figures only, no personal data. The database being
    unreachable is "down"; no live worker while jobs wait, or little disk, is "degraded"."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"ok": True, "vendor": connection.vendor, "ms": round(1000 * (time.perf_counter() - started), 2)}
    except Exception as exc:  # noqa: BLE001 -- reported, never raised: this is what monitoring asks
        return {"status": "down", "database": {"ok": False, "error": exc.__class__.__name__}, "disk": _disk()}
    now = timezone.now()
    alive = list(alive_workers(now))
    last = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    queued = DBTaskResult.objects.filter(status="READY").count()
    running = DBTaskResult.objects.filter(status="RUNNING").count()
    oldest = DBTaskResult.objects.filter(status="READY").order_by("enqueued_at").values_list("enqueued_at", flat=True)
    oldest = oldest.first()
    worker = {
        "ok": bool(alive) or (queued == 0 and running == 0),
        "alive": len(alive),
        "busy": sum(1 for w in alive if w.current_task),
        "last_heartbeat_seconds": round((now - last).total_seconds(), 1) if last else None,
        "stale_after_seconds": STALE_SECONDS,
        "queued": queued,
        "running": running,
        "oldest_queued_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
        "failed_last_day": DBTaskResult.objects.filter(
            status="FAILED", finished_at__gte=now - timezone.timedelta(days=1)
        ).count(),
    }
    disk = _disk()
    status = "ok" if worker["ok"] and disk["ok"] else "degraded"
    return {"status": status, "database": db, "worker": worker, "disk": disk}


def workers():
    return WorkerHeartbeat.objects.order_by("-last_seen")[:20]


def jobs(status: str = ""):
    qs = DBTaskResult.objects.order_by("-enqueued_at")
    if status:
        qs = qs.filter(status=status)
    return qs


def job_rows(page) -> list[dict]:
    alive = set(alive_workers().values_list("worker_id", flat=True))
    rows = []
    for r in page:
        rows.append(
            {
                "id": r.pk,
                "name": r.task_path.rsplit(".", 1)[-1],
                "path": r.task_path,
                "args": r.args_kwargs.get("args", []),
                "status": r.status,
                "enqueued_at": r.enqueued_at,
                "started_at": r.started_at,
                "finished_at": r.finished_at,
                "worker": (r.worker_ids or [""])[-1],
                "worker_alive": (r.worker_ids or [""])[-1] in alive,
                "error": (r.traceback or "").strip().splitlines()[-1:] if r.status == "FAILED" else [],
                "retryable": r.status == "FAILED",
                "has_hooks": r.task_path in TASK_HOOKS,
            }
        )
    return rows
