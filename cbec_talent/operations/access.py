"""Who may see the workers and the job queue, and retry a job: administrators only."""

from __future__ import annotations

from cbec_talent.core.access import has_any_role


def access_jobs_for_user(user) -> bool:
    return has_any_role(user, ("administrator",))
