"""Background tasks (django-tasks): the posting import runs here, outside the request."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(posting_import_id: int) -> int:
    """Run one queued posting import; returns the number of postings stored."""
    from .services import import_run

    return import_run(posting_import_id=posting_import_id).rows_stored


@task()
def run_retag(posting_import_id: int, actor_id: int | None = None) -> int:
    """Tag a finished import's postings again; returns the number of postings."""
    from .services import retag_run

    return retag_run(posting_import_id=posting_import_id, actor_id=actor_id)
