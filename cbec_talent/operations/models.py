"""The worker's heartbeat: each `cbec-talent worker` process keeps one row fresh while it runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(_("Worker"), max_length=64, unique=True)
    hostname = models.CharField(_("Host"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("Process id"), default=0)
    started_at = models.DateTimeField(_("Started"))
    last_seen = models.DateTimeField(_("Last heartbeat"), db_index=True)
    stopped_at = models.DateTimeField(_("Stopped"), null=True, blank=True)
    current_task = models.CharField(_("Current task"), max_length=64, blank=True)
    current_task_name = models.CharField(_("Current task name"), max_length=200, blank=True)
    tasks_done = models.PositiveIntegerField(_("Tasks run"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
