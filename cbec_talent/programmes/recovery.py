"""After a worker died: an interrupted optimiser run is failed (it writes its result only at its end), and a
retry runs it again from the start with the same request (the optimiser is deterministic for a request)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import OptimiserRun
from .optimisation import run_optimiser


def optimiser_interrupted(run_id: int) -> None:
    OptimiserRun.objects.filter(pk=run_id, status__in=[OptimiserRun.Status.QUEUED, OptimiserRun.Status.RUNNING]).update(
        status=OptimiserRun.Status.FAILED,
        message=_("The run was interrupted (the worker stopped). Press Retry."),
    )


def optimiser_retry(run_id: int):
    OptimiserRun.objects.filter(pk=run_id).update(
        status=OptimiserRun.Status.QUEUED, progress=0.0, message="", result=None
    )
    return run_optimiser.enqueue(run_id)
