"""Writes of the labour-market app: upload a posting file, map its columns, run the import, re-tag.

An import runs in two passes over the stored file: the first checks every row and counts duplicates without
writing; unless the user asked to keep the good rows, any rejected row stops the import with nothing stored.
The second pass stores postings and tags chunk by chunk (so the progress bar moves); if it fails half-way the
postings already written are removed again.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cbec_talent.accounts.models import AuditLog
from cbec_talent.accounts.signals import write_entry
from cbec_talent.competencies.models import Framework
from cbec_talent.core.errors import CbecError, Problem

from .models import TARGET_FIELDS, Posting, PostingImport
from .processing import check_row, framework_keyword_table, retag_postings, store_rows
from .reading import FORMATS, SNIFF_BYTES, RowReader, detect_encoding, detect_format, guess_mapping

CHUNK = 500
#: A chunk is also cut at this many characters of row text, so memory stays bounded when postings are long.
CHUNK_CHARS = 200_000
MAX_PROBLEMS = 500


def import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def postings_max_bytes() -> int:
    """The size limit of a posting file (CSV, TSV, JSON Lines): settings.POSTINGS_MAX_BYTES, else the
    POSTINGS_MAX_BYTES environment variable, else 200 MB. These files are streamed from disk, never read whole;
    Excel files are read into memory and keep the general limit settings.UPLOAD_MAX_BYTES."""
    default = os.environ.get("POSTINGS_MAX_BYTES", str(200 * 1024 * 1024))
    return int(getattr(settings, "POSTINGS_MAX_BYTES", default))


def import_check_size(*, size: int, file_format: str = "") -> None:
    """Refuse a posting file larger than its limit (Excel: UPLOAD_MAX_BYTES; other formats: POSTINGS_MAX_BYTES)."""
    limit = settings.UPLOAD_MAX_BYTES if file_format == "xlsx" else postings_max_bytes()
    if size > limit:
        raise CbecError(
            _("The file is %(size)s (%(bytes)d bytes); posting files may be at most %(limit)s (%(limit_bytes)d bytes).")
            % {"size": filesizeformat(size), "bytes": size, "limit": filesizeformat(limit), "limit_bytes": limit}
        )


def import_create(*, uploaded_file, framework: Framework, actor=None) -> PostingImport:
    """Copy an uploaded posting file in chunks to MEDIA_ROOT/imports (never reading it whole into memory), read
    its header and guess the column mapping. Nothing is kept when the file is refused."""
    suffix = Path(uploaded_file.name).suffix.lower()
    import_check_size(size=uploaded_file.size, file_format="xlsx" if suffix == ".xlsx" else "")
    if uploaded_file.size == 0:
        raise CbecError(_("The file is empty."))
    name = Path(uploaded_file.name).name[:200]
    chunks = uploaded_file.chunks()
    first = b""
    target = import_dir() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()[:10]}"
    try:
        with open(target, "wb") as out:
            for chunk in chunks:
                if len(first) < SNIFF_BYTES:
                    first += chunk[: SNIFF_BYTES - len(first)]
                out.write(chunk)
        file_format = detect_format(name, first)
        if file_format not in FORMATS:
            raise CbecError(_("Unsupported file type."))
        import_check_size(size=uploaded_file.size, file_format=file_format)
        encoding = "" if file_format == "xlsx" else detect_encoding(first)
        headers = RowReader(target, file_format, encoding).headers()
        if not [h for h in headers if str(h).strip()]:
            raise CbecError(_("The file is empty: no header row and no postings were found."))
    except Exception:  # refused or failed half-way: keep no partial copy
        target.unlink(missing_ok=True)
        raise
    return PostingImport.objects.create(
        file_name=name,
        stored_path=str(target),
        file_format=file_format,
        encoding=encoding,
        size=uploaded_file.size,
        framework=framework,
        headers=[str(h) for h in headers],
        mapping=guess_mapping([str(h) for h in headers]),
        created_by=actor if actor is not None and actor.pk else None,
    )


def import_start(
    *, posting_import: PostingImport, mapping: dict[str, str], keep_good_rows: bool, run_inline: bool = False
) -> PostingImport:
    """Record the column mapping and queue the import (a background task); ``run_inline`` runs it here
    instead (command-line and demo use)."""
    if posting_import.status != PostingImport.Status.MAPPING:
        raise CbecError(_("This import has already been started."))
    clean = {t: c for t, c in mapping.items() if t in TARGET_FIELDS and c}
    problems = [
        Problem(_("Column %(c)s is not in the file.") % {"c": c}, field=t)
        for t, c in clean.items()
        if c not in posting_import.headers
    ]
    if not clean.get("title"):
        problems.append(Problem(_("Map a file column to the title: it is required."), field="title"))
    used = [c for c in clean.values()]
    if len(set(used)) != len(used):
        problems.append(Problem(_("Each file column can be mapped to one field only.")))
    if problems:
        raise CbecError(problems)
    posting_import.mapping = clean
    posting_import.keep_good_rows = keep_good_rows
    posting_import.status = PostingImport.Status.QUEUED
    posting_import.message = ""
    posting_import.full_clean()
    posting_import.save()
    from .tasks import run_import

    if run_inline:
        import_run(posting_import_id=posting_import.pk)
    else:
        run_import.enqueue(posting_import.pk)
    posting_import.refresh_from_db()
    return posting_import


def _progress(imp: PostingImport, value: float, message: str = "") -> None:
    PostingImport.objects.filter(pk=imp.pk).update(progress=round(min(1.0, value), 4), message=message[:300])


class _Pending(list):
    """Rows waiting for the next chunk; full at CHUNK rows or CHUNK_CHARS characters of text."""

    chars = 0

    def add(self, row) -> None:
        self.append(row)
        self.chars += sum(len(v) for v in row.fields.values())

    @property
    def full(self) -> bool:
        return len(self) >= CHUNK or self.chars >= CHUNK_CHARS

    def clear(self) -> None:
        super().clear()
        self.chars = 0


def _check_all(imp: PostingImport) -> tuple[list[Problem], dict]:
    """First pass: every row checked, duplicates counted; nothing written."""
    reader = RowReader(imp.stored_path, imp.file_format, imp.encoding)
    problems: list[Problem] = []
    seen_exact: set[str] = set()
    seen_near: set[str] = set()
    counts = {"read": 0, "rejected": 0, "exact": 0, "near": 0, "good": 0}
    pending = _Pending()

    def flush():
        hashes = {r.hash for r in pending}
        nears = {r.near_key for r in pending}
        stored_exact = set(Posting.objects.filter(hash__in=hashes).values_list("hash", flat=True))
        stored_near = set(Posting.objects.filter(near_key__in=nears).values_list("near_key", flat=True))
        for r in pending:
            if r.hash in seen_exact or r.hash in stored_exact:
                counts["exact"] += 1
            elif r.near_key in seen_near or r.near_key in stored_near:
                counts["near"] += 1
            else:
                counts["good"] += 1
            seen_exact.add(r.hash)
            seen_near.add(r.near_key)
        pending.clear()

    for number, raw in reader.rows():
        counts["read"] += 1
        row, row_problems = check_row(number, raw, imp.mapping)
        if row is None:
            counts["rejected"] += 1
            problems.extend(row_problems)
        else:
            pending.add(row)
        if pending.full:
            flush()
        if counts["read"] % CHUNK == 0:
            _progress(imp, 0.5 * reader.fraction, _("Checking rows…"))
    flush()
    return problems, counts


def _store_all(imp: PostingImport) -> int:
    """Second pass: store the good, non-duplicate rows with their tags, chunk by chunk."""
    table = framework_keyword_table(imp.framework)
    reader = RowReader(imp.stored_path, imp.file_format, imp.encoding)
    seen_exact: set[str] = set()
    seen_near: set[str] = set()
    stored = 0
    pending = _Pending()

    def flush():
        nonlocal stored
        hashes = {r.hash for r in pending}
        nears = {r.near_key for r in pending}
        stored_exact = set(Posting.objects.filter(hash__in=hashes).values_list("hash", flat=True))
        stored_near = set(Posting.objects.filter(near_key__in=nears).values_list("near_key", flat=True))
        keep = []
        for r in pending:
            if r.hash not in seen_exact and r.hash not in stored_exact and r.near_key not in seen_near:
                if r.near_key not in stored_near:
                    keep.append(r)
            seen_exact.add(r.hash)
            seen_near.add(r.near_key)
        pending.clear()
        if keep:
            with transaction.atomic():
                stored += store_rows(imp, keep, table)

    for number, raw in reader.rows():
        row, _problems = check_row(number, raw, imp.mapping)
        if row is not None:
            pending.add(row)
        if pending.full:
            flush()
            _progress(imp, 0.5 + 0.5 * reader.fraction, _("Storing and tagging postings…"))
    flush()
    return stored


def import_run(*, posting_import_id: int) -> PostingImport:
    """Run a queued import (called by the background task). Failures are recorded on the import row."""
    imp = PostingImport.objects.select_related("framework").get(pk=posting_import_id)
    if imp.status not in (PostingImport.Status.QUEUED, PostingImport.Status.RUNNING):
        return imp
    PostingImport.objects.filter(pk=imp.pk).update(status=PostingImport.Status.RUNNING, progress=0.0)
    try:
        problems, counts = _check_all(imp)
        if problems and not imp.keep_good_rows:
            _finish(imp, counts, problems, stored=0, failed=True)
            return imp
        if counts["good"] == 0 and not problems:
            _finish(imp, counts, [Problem(_("The file holds no new postings."))], stored=0, failed=True)
            return imp
        stored = _store_all(imp)
    except CbecError as exc:
        Posting.objects.filter(posting_import=imp).delete()
        _finish(imp, {}, exc.problems, stored=0, failed=True)
        return imp
    except Exception as exc:  # any unexpected failure: nothing of this import stays stored
        Posting.objects.filter(posting_import=imp).delete()
        _finish(imp, {}, [Problem(_("The import failed: %(err)s") % {"err": exc.__class__.__name__})], 0, True)
        raise
    _finish(imp, counts, problems, stored=stored, failed=False)
    write_entry(AuditLog.Action.IMPORT, imp, actor=imp.created_by, after={"postings": stored, **counts})
    return imp


def _finish(imp: PostingImport, counts: dict, problems: list[Problem], stored: int, failed: bool) -> None:
    imp.refresh_from_db()
    imp.status = PostingImport.Status.FAILED if failed else PostingImport.Status.DONE
    imp.progress = 1.0
    imp.rows_read = counts.get("read", 0)
    imp.rows_rejected = counts.get("rejected", 0)
    imp.exact_duplicates = counts.get("exact", 0)
    imp.near_duplicates = counts.get("near", 0)
    imp.rows_stored = stored
    imp.problems = [p.as_dict() for p in problems[:MAX_PROBLEMS]]
    if failed and counts.get("rejected"):
        imp.message = _("%(n)d rows were rejected, so nothing was stored.") % {"n": counts["rejected"]}
    elif failed:
        imp.message = _("Nothing was stored.")
    else:
        imp.message = _("%(n)d postings stored.") % {"n": stored}
    imp.save()


@transaction.atomic
def import_retag(*, posting_import: PostingImport, framework: Framework | None = None) -> PostingImport:
    """Tag a finished import's postings again with the framework's current keywords (optionally another one)."""
    if posting_import.status != PostingImport.Status.DONE:
        raise CbecError(_("Only finished imports can be tagged again."))
    if framework is not None:
        posting_import.framework = framework
        posting_import.save(update_fields=["framework", "updated_at"])
    retag_postings(posting_import, framework_keyword_table(posting_import.framework))
    return posting_import
