"""Background work: advance the sessions whose round deadline has passed (run by `cbec-talent worker`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .services import advance_due_sessions


@task()
def advance_due_sessions_task() -> list[int]:
    """Advance every running session past its deadline by one round; returns the session ids advanced."""
    return advance_due_sessions(timezone.now())
