"""`manage.py practice_advance_due`: advance practice sessions whose round deadline has passed (run from cron or
a systemd timer every few minutes; `--enqueue` hands the work to `cbec-talent worker` instead)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from cbec_talent.practice.services import advance_due_sessions
from cbec_talent.practice.tasks import advance_due_sessions_task


class Command(BaseCommand):
    help = "Advance practice sessions whose round deadline has passed."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue a background task instead of running now")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = advance_due_sessions_task.enqueue()
            self.stdout.write(f"queued task {result.id}")
            return
        done = advance_due_sessions(timezone.now())
        self.stdout.write(f"advanced {len(done)} session(s): {done}")
