"""The optimiser as a background task: a run row records progress, then the plan, objective, gap and reasons."""

from __future__ import annotations

import math
from dataclasses import asdict

from django.db import transaction
from django_tasks import task

from cbec_talent.engines.curriculum import optimise, request_from_programme

from .models import OptimiserRun, Programme
from .services import programme_document


@transaction.atomic
def optimiser_run_start(
    *,
    programme: Programme,
    actor=None,
    direction: str = "",
    time_limit: float = 60.0,
    weights: dict[str, float] | None = None,
    weights_source: str = "",
):
    """Queue an optimiser run; the worker (or, in tests, the immediate backend) executes it."""
    run = OptimiserRun.objects.create(
        programme=programme,
        created_by=actor if getattr(actor, "pk", None) else None,
        direction=direction,
        time_limit=time_limit,
        weights=weights or None,
        weights_source=weights_source[:200],
    )
    transaction.on_commit(lambda: run_optimiser.enqueue(run.pk))
    return run


def _finite(value):
    """JSON columns (PostgreSQL jsonb) take no NaN or infinity: those become None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _save_progress(run_id: int, fraction: float, message: str) -> None:
    OptimiserRun.objects.filter(pk=run_id).update(progress=max(0.0, min(1.0, fraction)), message=message[:300])


@task()
def run_optimiser(run_id: int) -> str:
    run = OptimiserRun.objects.select_related("programme").get(pk=run_id)
    OptimiserRun.objects.filter(pk=run_id).update(status=OptimiserRun.Status.RUNNING, progress=0.0)
    try:
        request = request_from_programme(
            programme_document(run.programme),
            weights=run.weights or None,
            direction=run.direction or None,
            time_limit=run.time_limit,
        )
        result = optimise(request, progress=lambda f, m: _save_progress(run_id, f, m))
    except Exception as exc:  # the run page shows the failure instead of spinning forever
        OptimiserRun.objects.filter(pk=run_id).update(status=OptimiserRun.Status.FAILED, message=str(exc)[:300])
        raise
    OptimiserRun.objects.filter(pk=run_id).update(
        status=OptimiserRun.Status.DONE,
        progress=1.0,
        message=result.status,
        result=_finite(asdict(result)),
    )
    return result.status
