"""After a worker died: put an interrupted import or retag in a clear state, and queue it again on request.

Called by the operations sweep (cbec_talent.operations.services) with the task's arguments. An import stores its
postings chunk by chunk, so an interrupted one may have stored some: they are removed (an import is all or
nothing) and a retry reads the file again from the start, giving what an uninterrupted run gives. A retag writes
its new tags in one transaction at its end: an interrupted one left the previous tags, which stay.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cbec_talent.core.errors import CbecError

from .models import PostingImport
from .services import _discard, import_retag, run_import


def import_interrupted(posting_import_id: int) -> None:
    imp = PostingImport.objects.filter(pk=posting_import_id).first()
    if imp is None or imp.status not in (PostingImport.Status.QUEUED, PostingImport.Status.RUNNING):
        return
    _discard(imp)
    PostingImport.objects.filter(pk=imp.pk).update(
        status=PostingImport.Status.FAILED,
        progress=0.0,
        rows_stored=0,
        message=_("The import was interrupted (the worker stopped); nothing of it was kept. Press Retry."),
    )


def import_retry(posting_import_id: int):
    with transaction.atomic():
        imp = PostingImport.objects.select_for_update().get(pk=posting_import_id)
        if imp.status != PostingImport.Status.FAILED or not imp.mapping:
            raise CbecError(_("Only a failed import with a column mapping can be retried."))
        _discard(imp)
        imp.status = PostingImport.Status.QUEUED
        imp.progress = 0.0
        imp.rows_stored = 0
        imp.problems = []
        imp.message = _("Queued again.")
        imp.save()
    return run_import.enqueue(imp.pk)


def retag_interrupted(posting_import_id: int, actor_id: int | None = None) -> None:
    PostingImport.objects.filter(pk=posting_import_id, retagging=True).update(
        retagging=False,
        progress=1.0,
        message=_("Tagging again was interrupted (the worker stopped); the postings keep their previous tags."),
    )


def retag_retry(posting_import_id: int, actor_id: int | None = None):
    imp = PostingImport.objects.get(pk=posting_import_id)
    return import_retag(posting_import=imp, framework=None, actor=None)
