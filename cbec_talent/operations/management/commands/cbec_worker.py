"""`cbec-talent worker`: django-tasks' database worker with a heartbeat and the sweep of interrupted jobs."""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from cbec_talent.operations import services

logger = logging.getLogger("cbec_talent.worker")


class HeartbeatWorker(db_worker.Worker):
    """Keeps its WorkerHeartbeat row fresh from a thread (so a long task does not look dead) and sweeps the
    tasks of dead workers when it starts and every SWEEP_SECONDS."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.current = ("", "")
        self._stop = threading.Event()

    def _beat_loop(self) -> None:
        next_sweep = 0.0
        try:
            while not self._stop.is_set():
                try:
                    services.heartbeat_beat(
                        worker_id=self.worker_id,
                        current_task=self.current[0],
                        current_task_name=self.current[1],
                        done=self._run_tasks,
                    )
                    if time.monotonic() >= next_sweep:
                        swept = services.sweep_interrupted()
                        if swept:
                            logger.warning("marked %d interrupted task(s) as failed: %s", len(swept), swept)
                        next_sweep = time.monotonic() + services.SWEEP_SECONDS
                except Exception:  # a locked or lost database: try again at the next beat
                    logger.exception("heartbeat failed")
                    close_old_connections()
                self._stop.wait(services.HEARTBEAT_SECONDS)
        finally:
            connection.close()

    def run_task(self, db_task_result) -> None:
        self.current = (str(db_task_result.pk), db_task_result.task_path)
        try:
            super().run_task(db_task_result)
        finally:
            self.current = ("", "")

    def run(self) -> None:
        services.heartbeat_beat(worker_id=self.worker_id)
        thread = threading.Thread(target=self._beat_loop, name="cbec-heartbeat", daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            thread.join(timeout=5)
            services.heartbeat_stop(worker_id=self.worker_id)


class Command(db_worker.Command):
    help = "Run the background task worker with a heartbeat and the sweep of interrupted jobs"

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = HeartbeatWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
