"""Writes of the labour-market app: upload a posting file, map its columns, run the import, re-tag.

An import reads the stored file once, in chunks: each chunk's rows are checked, tagged (in worker processes
for large files) and the good, new ones stored, so the progress bar moves. Unless the user asked to keep the
good rows, a rejected row stops the storing (the rest is only checked, to report every problem) and what was
stored is removed again, as it is when the import fails half-way: an import stores all its postings or none.
The postings only count once the import is done: its pre-aggregated demand figures (DemandCount) are written
in the same transaction that marks it done.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from contextlib import closing, contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from cbec_talent.accounts.models import User
from cbec_talent.competencies import esco_linking
from cbec_talent.competencies.models import Framework
from cbec_talent.core import audit
from cbec_talent.core.errors import CbecError, Problem
from cbec_talent.engines.demand.occupation import default_coder

from .models import TARGET_FIELDS, DemandCount, OccupationCorrection, Posting, PostingImport
from .processing import (
    PreparedChunk,
    delete_rows,
    framework_keyword_table,
    insert_postings,
    map_chunks,
    params_demand_keys,
    prepare_block,
    prepare_chunk,
    retag_postings,
    save_counts,
    use_esco_linker,
)
from .reading import FORMATS, SNIFF_BYTES, RowReader, detect_encoding, detect_format, guess_mapping

CHUNK = 1000
#: A chunk is also cut at this many characters of row text, so memory stays bounded when postings are long.
CHUNK_CHARS = 500_000
#: A block of the file's bytes (fast path) is cut at this many bytes per CHUNK_CHARS character.
BLOCK_BYTES_PER_CHAR = 3
#: Chunks for worker processes are this many times larger.
WORKER_CHUNK_SCALE = 3
#: The progress bar is updated at most this often.
PROGRESS_SECONDS = 0.5
#: How often the import's checkpointer thread copies the SQLite WAL into the database file.
CHECKPOINT_SECONDS = 1.0
#: The WAL (in pages) past which the import waits for its checkpointer to catch up (about 400 MB).
WAL_LIMIT_FRAMES = 100_000
#: Files from this size on are checked and tagged in worker processes (one per core).
PARALLEL_MIN_BYTES = 32 * 1024 * 1024
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
    if run_inline:
        import_run(posting_import_id=posting_import.pk)
    else:
        run_import.enqueue(posting_import.pk)
    posting_import.refresh_from_db()
    return posting_import


def _progress(imp: PostingImport, value: float, message: str = "") -> None:
    PostingImport.objects.filter(pk=imp.pk).update(progress=round(min(1.0, value), 4), message=message[:300])


def import_workers(imp: PostingImport) -> int:
    """Worker processes for checking and tagging: settings.POSTINGS_IMPORT_WORKERS when set (0 = none), else one
    per core for files of PARALLEL_MIN_BYTES or more and none for smaller ones (or Excel, read whole anyway)."""
    configured = getattr(settings, "POSTINGS_IMPORT_WORKERS", None)
    if configured is not None:
        return int(configured)
    if imp.file_format == "xlsx" or imp.size < PARALLEL_MIN_BYTES:
        return 0
    return max(1, os.cpu_count() or 1)


def _raw_chunks(reader: RowReader, scale: int = 1):
    """The file's rows in chunks of at most CHUNK rows and about CHUNK_CHARS characters (times ``scale``)."""
    chunk: list = []
    chars = 0
    max_rows, max_chars = CHUNK * scale, CHUNK_CHARS * scale
    for number, raw in reader.rows():
        chunk.append((number, raw))
        chars += sum(len(v) for v in raw.values())
        if len(chunk) >= max_rows or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _stored_keys(imp: PostingImport, keys) -> tuple[set[str], set[str]]:
    """The exact and near duplicate keys among ``keys`` [(hash, near_key)] stored by other imports."""
    hashes = {h for h, _n in keys}
    nears = {n for _h, n in keys}
    others = Posting.objects.exclude(posting_import=imp)
    stored_exact = set(others.filter(hash__in=hashes).values_list("hash", flat=True)) if hashes else set()
    stored_near = set(others.filter(near_key__in=nears).values_list("near_key", flat=True)) if nears else set()
    return stored_exact, stored_near


def _import_all(imp: PostingImport) -> tuple[list[Problem], dict, int, Counter]:
    """One pass over the file: every row checked and its duplicates counted; the good, new rows tagged and
    stored chunk by chunk. A rejected row (unless the user keeps the good rows) stops the storing -- the rest of
    the file is only checked, so that every problem is reported -- and the caller removes what was stored.
    Returns (problems, counts, postings stored, demand counts ((kind, code, month) -> postings))."""
    table = framework_keyword_table(imp.framework)
    use_esco_linker(esco_linking.fast_linker())  # before the workers fork: they inherit it
    reader = RowReader(imp.stored_path, imp.file_format, imp.encoding)
    problems: list[Problem] = []
    seen_exact: set[str] = set()
    seen_near: set[str] = set()
    counts = {"read": 0, "rejected": 0, "exact": 0, "near": 0, "good": 0}
    demand: Counter = Counter()
    stored = 0
    state = {"store": True}
    next_progress = 0.0
    check_others = Posting.objects.exclude(posting_import=imp).exists()
    workers = import_workers(imp)
    # chunks handed to workers are larger, to spread the cost of the hand-off (memory stays bounded: at most
    # 2 x workers + 1 chunks exist at a time)
    scale = WORKER_CHUNK_SCALE if workers else 1
    if fast_import() and reader.can_split():  # the file cut into blocks of records, parsed where they are checked
        blocks = reader.record_blocks(CHUNK * scale, BLOCK_BYTES_PER_CHAR * CHUNK_CHARS * scale)
        items, prepare = ((block, state["store"]) for block in blocks), prepare_block
    else:
        items, prepare = ((chunk, state["store"]) for chunk in _raw_chunks(reader, scale)), prepare_chunk
    chunks = map_chunks(prepare, items, workers=workers, mapping=imp.mapping, table=table)
    with closing(chunks), _bulk_writes(checkpoint_thread=fast_import()) as checkpointer:
        for chunk in chunks:
            if chunk.error:
                raise CbecError([Problem(_("The file is not valid CSV/TSV: %(err)s") % {"err": chunk.error})])
            if chunk.undecodable:
                raise reader.decode_error(chunk.undecodable, reader.block_codec)
            counts["read"] += chunk.read
            counts["rejected"] += chunk.rejected
            problems.extend(chunk.problems[: max(0, MAX_PROBLEMS - len(problems))])
            if chunk.rejected and not imp.keep_good_rows:
                state["store"] = False
            stored_exact, stored_near = _stored_keys(imp, chunk.keys) if check_others else (set(), set())
            keep = []
            for i, (h, near) in enumerate(chunk.keys):
                if h in seen_exact or h in stored_exact:
                    counts["exact"] += 1
                elif near in seen_near or near in stored_near:
                    counts["near"] += 1
                else:
                    counts["good"] += 1
                    keep.append(i)
                seen_exact.add(h)
                seen_near.add(near)
            if state["store"] and keep and chunk.postings is not None:
                if checkpointer is not None:
                    checkpointer.keep_up()
                stored += insert_postings(imp.pk, [chunk.postings[i] for i in keep])
                count_demand(chunk, keep, demand)
            if time.monotonic() >= next_progress:
                message = _("Storing and tagging postings…") if state["store"] else _("Checking rows…")
                _progress(imp, reader.fraction, message)
                next_progress = time.monotonic() + PROGRESS_SECONDS
    return problems, counts, stored, demand


def count_demand(chunk: PreparedChunk, keep: list[int], demand: Counter) -> Counter:
    """Add the demand counts of the chunk's stored postings (``keep``: indexes of its good rows) to the import's:
    the chunk's counts over all its good rows, less those of the rows skipped as duplicates."""
    demand.update(chunk.demand)
    if len(keep) < len(chunk.postings):
        kept = set(keep)
        for i, params in enumerate(chunk.postings):
            if i not in kept:
                demand.subtract(params_demand_keys(params))
    return demand


def fast_import() -> bool:
    """Whether imports cut CSV/TSV files into blocks of records parsed in the workers and prepare postings
    without a dict each (settings.POSTINGS_IMPORT_FAST, default True; False: the previous path, kept as the
    reference the tests and the benchmark compare with)."""
    return bool(getattr(settings, "POSTINGS_IMPORT_FAST", True))


@contextmanager
def _bulk_writes(checkpoint_thread: bool = True):
    """On SQLite, while an import writes: a larger page cache for this connection, and the WAL checkpoints (which
    wait for the disk: fsync of the WAL and of the database file) moved out of its commits into a thread with
    its own connection (_Checkpointer; without ``checkpoint_thread``, the previous path: fewer checkpoints, made
    by the commits). Durability is unchanged -- WAL with synchronous=NORMAL, as always; only the waiting moves
    off the importing thread. Restored afterwards."""
    if connection.vendor != "sqlite":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode")
        wal = cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MB
        wal = wal and checkpoint_thread
        cursor.execute("PRAGMA wal_autocheckpoint=0" if wal else "PRAGMA wal_autocheckpoint=20000")
    checkpointer = _Checkpointer(connection.settings_dict["NAME"]) if wal else None
    try:
        yield checkpointer
    finally:
        if checkpointer is not None:
            checkpointer.stop()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={int(cache)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(checkpoint)}")


class _Checkpointer:
    """A thread that checkpoints an SQLite database's WAL (PASSIVE: never blocking readers or the writer) every
    CHECKPOINT_SECONDS while an import writes, with its own connection and synchronous=NORMAL (so the checkpoint
    syncs the WAL before and the database file after, as an automatic one does). sqlite3 releases the GIL
    meanwhile, so the import goes on writing while the disk catches up.

    The WAL only starts over from its beginning when a write transaction begins after a checkpoint that copied
    all of it; so when it has grown past WAL_LIMIT_FRAMES, keep_up() (called by the importing thread before a
    chunk's transaction) waits for the thread to catch up, which bounds the WAL file."""

    def __init__(self, path):
        import threading

        self.path = str(path)
        self.frames = self.copied = 0  # from the last checkpoint: frames in the WAL, frames copied
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._caught_up = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpointer", daemon=True)
        self._thread.start()

    def _checkpoint(self, db) -> None:
        _busy, frames, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.frames, self.copied = frames, copied
        if frames == copied:
            self._caught_up.set()

    def _run(self) -> None:
        import sqlite3

        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            self._caught_up.set()
            return
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            while not self._stop.is_set():
                self._wake.wait(CHECKPOINT_SECONDS)
                self._wake.clear()
                self._checkpoint(db)
            self._checkpoint(db)
        except sqlite3.Error:
            pass  # the next automatic checkpoint of any connection does it
        finally:
            self._caught_up.set()
            db.close()

    def keep_up(self) -> None:
        """Before a write transaction: when the WAL has grown past WAL_LIMIT_FRAMES, wait (at most a minute) for a
        checkpoint that copies all of it, so that this transaction starts the WAL over."""
        if self.frames < WAL_LIMIT_FRAMES or not self._thread.is_alive():
            return
        self._caught_up.clear()
        self._wake.set()
        self._caught_up.wait(60)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()


def import_run(*, posting_import_id: int) -> PostingImport:
    """Run a queued import (called by the background task). Failures are recorded on the import row."""
    imp = PostingImport.objects.select_related("framework").get(pk=posting_import_id)
    if imp.status not in (PostingImport.Status.QUEUED, PostingImport.Status.RUNNING):
        return imp
    PostingImport.objects.filter(pk=imp.pk).update(status=PostingImport.Status.RUNNING, progress=0.0)
    try:
        problems, counts, stored, demand = _import_all(imp)
        if counts["rejected"] and not imp.keep_good_rows:
            _discard(imp)
            _finish(imp, counts, problems, stored=0, failed=True)
            return imp
        if counts["good"] == 0 and not counts["rejected"]:
            _finish(imp, counts, [Problem(_("The file holds no new postings."))], stored=0, failed=True)
            return imp
        with transaction.atomic():  # the figures and the "done" status appear together
            save_counts(imp, demand)
            _finish(imp, counts, problems, stored=stored, failed=False)
    except CbecError as exc:
        _discard(imp)
        _finish(imp, {}, exc.problems, stored=0, failed=True)
        return imp
    except Exception as exc:  # any unexpected failure: nothing of this import stays stored
        _discard(imp)
        _finish(imp, {}, [Problem(_("The import failed: %(err)s") % {"err": exc.__class__.__name__})], 0, True)
        raise
    audit.record(audit.IMPORT, imp, actor=imp.created_by, after={"postings": stored, **counts})
    _check_shifts(imp)
    return imp


def _check_shifts(imp: PostingImport) -> None:
    """Compare the finished import with the previous one (demand-shift alerts); a failure there never fails
    the import."""
    from .alerts import check_after_import

    try:
        check_after_import(PostingImport.objects.get(pk=imp.pk))
    except Exception:  # noqa: BLE001 - logged, the import itself is done
        import logging

        logging.getLogger(__name__).exception("demand-shift check after import %s failed", imp.pk)


def _discard(imp: PostingImport) -> None:
    """Remove whatever a failed import stored."""
    with transaction.atomic():
        delete_rows(DemandCount.objects.filter(posting_import=imp))
        delete_rows(Posting.objects.filter(posting_import=imp))


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


def import_retag(
    *, posting_import: PostingImport, framework: Framework | None = None, actor=None, run_inline: bool = False
) -> PostingImport:
    """Queue tagging a finished import's postings again with the framework's current keywords (optionally another
    framework's): a background task; ``run_inline`` runs it here. The import's figures stay as they are until the
    new ones replace them in one transaction."""
    if posting_import.status != PostingImport.Status.DONE:
        raise CbecError(_("Only finished imports can be tagged again."))
    if posting_import.retagging:
        raise CbecError(_("These postings are already being tagged again."))
    if framework is not None:
        posting_import.framework = framework
    posting_import.retagging = True
    posting_import.progress = 0.0
    posting_import.message = _("Waiting to tag the postings again.")
    posting_import.save(update_fields=["framework", "retagging", "progress", "message", "updated_at"])
    actor_id = actor.pk if actor is not None and actor.pk else None
    if run_inline:
        retag_run(posting_import_id=posting_import.pk, actor_id=actor_id)
    else:
        run_retag.enqueue(posting_import.pk, actor_id)
    posting_import.refresh_from_db()
    return posting_import


def retag_run(*, posting_import_id: int, actor_id: int | None = None) -> int:
    """Tag an import's postings again (called by the background task); returns the number of postings. On a
    failure the postings and figures stay as they were and the import says so."""
    imp = PostingImport.objects.select_related("framework").get(pk=posting_import_id)
    if not imp.retagging:
        return 0
    message = _("Tagging the postings again with the keywords of %(f)s.") % {"f": imp.framework}
    try:
        use_esco_linker(esco_linking.fast_linker())
        n = retag_postings(
            imp, framework_keyword_table(imp.framework), progress=lambda share: _progress(imp, 0.95 * share, message)
        )
    except Exception as exc:
        PostingImport.objects.filter(pk=imp.pk).update(
            retagging=False,
            progress=1.0,
            message=_("Tagging again failed (%(err)s); the postings keep their previous tags.")
            % {"err": exc.__class__.__name__},
        )
        raise
    PostingImport.objects.filter(pk=imp.pk).update(
        retagging=False,
        progress=1.0,
        message=_("%(n)d postings tagged again with the keywords of %(f)s.") % {"n": n, "f": imp.framework},
    )
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    audit.record(audit.UPDATE, imp, actor=actor, after={"retagged": n, "framework": str(imp.framework)})
    _check_shifts(imp)  # the new tags may move a competency's share against the previous import
    return n


# Background tasks (django-tasks): the import and the retag run here, outside the request.


@task()
def run_import(posting_import_id: int) -> int:
    """Run one queued posting import; returns the number of postings stored."""
    return import_run(posting_import_id=posting_import_id).rows_stored


@task()
def run_retag(posting_import_id: int, actor_id: int | None = None) -> int:
    """Tag a finished import's postings again; returns the number of postings."""
    return retag_run(posting_import_id=posting_import_id, actor_id=actor_id)


def occupation_correct(*, posting: Posting, code: str, actor=None) -> OccupationCorrection:
    """Set a posting's CSCO 2022 occupation by hand: the posting is re-counted under the new code (its import's
    demand figures move from the old code to the new one), and the correction is kept for its cleaned title,
    so later imports code the same title with it. Audited. CbecError for a code not in the classification."""
    code = (code or "").strip()
    coder = default_coder()
    if code not in coder.by_code:
        raise CbecError([Problem(_("Not a CSCO 2022 code: %(v)s (e.g. 4-01-06-01).") % {"v": code[:60]}, field="code")])
    key = coder.key(posting.title)[:300]
    tags = dict(posting.tags or {})
    old = next(iter(tags.get("occupation") or {}), "")
    with transaction.atomic():
        # written with queryset updates and bulk_create: the one audit entry is the explicit one below, which
        # names the posting and its code before (the model-save signal would add a second, bare entry)
        correction = OccupationCorrection.objects.select_for_update().filter(key=key).first()
        before = {"key": key, "code": correction.code, "title": correction.title} if correction else None
        values = {
            "title": posting.title[:300],
            "code": code,
            "previous_code": old[:60],
            "posting": posting,
            "corrected_by": actor if actor is not None and actor.pk else None,
        }
        if correction is None:
            correction = OccupationCorrection.objects.bulk_create([OccupationCorrection(key=key, **values)])[0]
            correction = OccupationCorrection.objects.get(key=key)
        else:
            OccupationCorrection.objects.filter(pk=correction.pk).update(updated_at=timezone.now(), **values)
            correction.refresh_from_db()
        name = getattr(actor, "username", "") or ""
        tags["occupation"] = {code: f"correction: {key}" + (f" ({name})" if name else "")}
        Posting.objects.filter(pk=posting.pk).update(tags=tags)
        posting.tags = tags
        if old != code and posting.posting_import.status == PostingImport.Status.DONE:
            _move_count(posting, old, code)
        audit.record(
            audit.UPDATE if before else audit.CREATE,
            correction,
            before=before,
            after={"key": key, "code": code, "title": posting.title[:300], "posting": posting.pk,
                   "posting_code_before": old},
            actor=actor,
            object_repr=f"{posting.title[:200]} -> {code}",
        )  # fmt: skip
    return correction


def _move_count(posting: Posting, old: str, new: str) -> None:
    """One posting moves from occupation ``old`` to ``new`` in its import's DemandCount rows (derived rows,
    written without model signals like the import's own; the correction's audit entry covers them)."""
    rows = DemandCount.objects.filter(
        posting_import_id=posting.posting_import_id, kind="occupation", month=posting.month
    )
    if old:
        rows.filter(code=old, postings__gt=1).update(postings=F("postings") - 1)
        delete_rows(rows.filter(code=old, postings__lte=1))
    if not rows.filter(code=new).update(postings=F("postings") + 1):
        DemandCount.objects.bulk_create(
            [DemandCount(posting_import_id=posting.posting_import_id, kind="occupation", code=new,
                         month=posting.month, postings=1)]
        )  # fmt: skip
