"""Backup and restore: the database and the uploaded files in one archive (``.tar.gz``).

The archive holds

* ``manifest.json``: when, from which database vendor, the applied migrations, a checksum and row count of every
  table, and a checksum of every file;
* ``tables/<table>.jsonl``: every row of every table as JSON (one line a row, values in a portable form), read from
  one consistent snapshot -- on SQLite a copy made with SQLite's online backup API (the site keeps running and
  writing), on PostgreSQL one REPEATABLE READ, READ ONLY transaction;
* ``database.sqlite3`` (SQLite only): that online-backup copy itself, restored byte for byte into SQLite;
* ``media/...``: the uploaded files (MEDIA_ROOT).

A restore brings the database to the backup's migrations, empties every table, loads every row in one
transaction (foreign keys are checked at its end), resets the id sequences, migrates forward to the code's
migrations and puts the files back; then it checks every table and file against the manifest. A backup from
SQLite restores into PostgreSQL the same way (the portable rows), which is how a college moves up.

The table checksum is order-free (the sum of the rows' SHA-256 values modulo 2**256, plus the count), so the same
rows give the same checksum whatever order the database returns them in.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from cbec_talent.core.errors import CbecError

FORMAT = 1
MOD = 2**256


# --- portable values -------------------------------------------------------------------------------------------


def _portable(value):
    """A model field's Python value as a JSON value that every database gives back alike."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"$f": repr(value)}
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$td": value.total_seconds()}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}
    if isinstance(value, uuid.UUID):
        return {"$uuid": value.hex}
    if isinstance(value, bytes | memoryview):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _from_portable(value):
    if not isinstance(value, dict):
        return value
    ((tag, raw),) = value.items()
    if tag == "$f":
        return float(raw)
    if tag == "$dt":
        parsed = dt.datetime.fromisoformat(raw)
        return parsed.replace(tzinfo=dt.UTC) if settings.USE_TZ else parsed
    if tag == "$d":
        return dt.date.fromisoformat(raw)
    if tag == "$t":
        return dt.time.fromisoformat(raw)
    if tag == "$td":
        return dt.timedelta(seconds=raw)
    if tag == "$dec":
        return decimal.Decimal(raw)
    if tag == "$uuid":
        return uuid.UUID(raw)
    if tag == "$b":
        return base64.b64decode(raw)
    raise ValueError(f"unknown value tag {tag}")


def _json_value(field, value):
    """JSON field contents are kept as canonical JSON text (keys sorted), whichever way the database stores them."""
    if value is None:
        return None
    return {"$json": json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))}


def _is_json(field) -> bool:
    from django.db.models import JSONField

    return isinstance(field, JSONField)


# --- tables ----------------------------------------------------------------------------------------------------


def backed_up_models() -> list:
    """Every concrete model with a table (auto-created many-to-many tables included), in a fixed order."""
    seen, out = set(), []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        out.append(model)
    return sorted(out, key=lambda m: m._meta.db_table)


def _columns(model) -> list:
    return [f for f in model._meta.concrete_fields]


def _row_lines(model, using: str):
    """Each row of ``model`` in database ``using`` as one canonical JSON line (bytes, no newline)."""
    fields = _columns(model)
    names = [f.attname for f in fields]
    json_fields = [_is_json(f) for f in fields]
    qs = model._base_manager.using(using).order_by("pk").values_list(*names)
    for row in qs.iterator(chunk_size=2000):
        values = [
            _json_value(f, v) if is_json else _portable(v)
            for f, v, is_json in zip(fields, row, json_fields, strict=True)
        ]
        yield json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class TableSum:
    rows: int = 0
    total: int = 0

    def add(self, line: bytes) -> None:
        self.rows += 1
        self.total = (self.total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % MOD

    def hexdigest(self) -> str:
        return f"{self.total:064x}"


def table_checksums(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": order-free checksum}} of every table in database ``using`` now."""
    out = {}
    for model in backed_up_models():
        s = TableSum()
        for line in _row_lines(model, using):
            s.add(line)
        out[model._meta.db_table] = {"rows": s.rows, "sha256": s.hexdigest()}
    return out


def file_checksums(root: Path | None = None) -> dict[str, str]:
    """{relative path: sha256} of every file under MEDIA_ROOT (or ``root``)."""
    root = Path(root or settings.MEDIA_ROOT)
    out = {}
    if not root.exists():
        return out
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        out[path.relative_to(root).as_posix()] = h.hexdigest()
    return out


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connections[using]).applied_migrations())


# --- backup ----------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    bytes: int
    seconds: float
    manifest: dict = field(default_factory=dict)


def default_backup_path() -> Path:
    folder = Path(settings.VAR_DIR) / "backups" if hasattr(settings, "VAR_DIR") else Path("var") / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"cbec-talent-{timezone.now().strftime('%Y%m%d-%H%M%S')}.tar.gz"


def _sqlite_snapshot(target: Path) -> None:
    """Copy the live SQLite database to ``target`` with the online backup API (writers are not stopped)."""
    conn = connections[DEFAULT_DB_ALIAS]
    conn.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        if conn.in_atomic_block:
            # inside a transaction (tests; a caller's atomic block) the backup API waits on this very connection's
            # lock: copy through the connection's own view of the data instead
            dest.executescript(";\n".join(conn.connection.iterdump()))
        else:
            conn.connection.backup(dest)  # one step: one consistent snapshot (WAL: writers go on)
    finally:
        dest.close()


def _snapshot_alias(snapshot: Path) -> str:
    """A temporary database alias reading the SQLite snapshot file."""
    alias = f"backup_snapshot_{uuid.uuid4().hex[:8]}"
    base = dict(connections.settings[DEFAULT_DB_ALIAS])
    base.update({"NAME": str(snapshot), "OPTIONS": {"timeout": 20}, "CONN_MAX_AGE": 0, "TEST": {}})
    configured = connections.configure_settings({DEFAULT_DB_ALIAS: dict(base), alias: base})
    connections.settings[alias] = configured[alias]
    return alias


def _drop_alias(alias: str) -> None:
    try:
        connections[alias].close()
    finally:
        del connections.settings[alias]
        try:
            delattr(connections._connections, alias)
        except AttributeError:
            pass


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Write the database and the uploaded files to one archive; consistent while the site runs."""
    import time

    started = time.monotonic()
    output = Path(output) if output else default_backup_path()
    output.parent.mkdir(parents=True, exist_ok=True)
    conn = connections[DEFAULT_DB_ALIAS]
    vendor = conn.vendor
    manifest: dict = {
        "format": FORMAT,
        "product": "cbec-talent",
        "created_at": timezone.now().isoformat(),
        "vendor": vendor,
        "tables": {},
        "files": {},
    }
    with tempfile.TemporaryDirectory(prefix="cbec-backup-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "tables").mkdir()
        if vendor == "sqlite":
            snapshot = tmp / "database.sqlite3"
            _sqlite_snapshot(snapshot)
            if conn.in_atomic_block:  # the caller's transaction already is one consistent view
                manifest["migrations"] = applied_migrations()
                _dump_tables(DEFAULT_DB_ALIAS, tmp / "tables", manifest)
            else:
                alias = _snapshot_alias(snapshot)
                try:
                    manifest["migrations"] = applied_migrations(alias)
                    _dump_tables(alias, tmp / "tables", manifest)
                finally:
                    _drop_alias(alias)
        elif vendor == "postgresql":
            outer = conn.in_atomic_block  # a caller's transaction (tests) already is one view
            with transaction.atomic():
                if not outer:
                    with conn.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                manifest["migrations"] = applied_migrations()
                _dump_tables(DEFAULT_DB_ALIAS, tmp / "tables", manifest)
        else:
            raise CbecError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        media = Path(settings.MEDIA_ROOT)
        manifest["files"] = file_checksums(media)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(data))
            tar.add(tmp / "tables", arcname="tables")
            if vendor == "sqlite":
                tar.add(tmp / "database.sqlite3", arcname="database.sqlite3")
            for rel in manifest["files"]:
                tar.add(media / rel, arcname=f"media/{rel}")
        os.replace(partial, output)  # a half-written archive never carries the final name
    rows = sum(t["rows"] for t in manifest["tables"].values())
    return BackupResult(
        output,
        len(manifest["tables"]),
        rows,
        len(manifest["files"]),
        output.stat().st_size,
        time.monotonic() - started,
        manifest,
    )


def _dump_tables(using: str, folder: Path, manifest: dict) -> None:
    for model in backed_up_models():
        table = model._meta.db_table
        s = TableSum()
        with open(folder / f"{table}.jsonl", "wb") as out:
            for line in _row_lines(model, using):
                s.add(line)
                out.write(line + b"\n")
        manifest["tables"][table] = {
            "rows": s.rows,
            "sha256": s.hexdigest(),
            "columns": [f.column for f in _columns(model)],
        }


# --- restore ---------------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    seconds: float
    method: str
    mismatches: list[str]

    @property
    def identical(self) -> bool:
        return not self.mismatches


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        try:
            member = tar.getmember("manifest.json")
        except KeyError as exc:
            raise CbecError(f"{archive} is not a CBEC Talent backup (no manifest.json).") from exc
        manifest = json.load(tar.extractfile(member))
    if manifest.get("product") != "cbec-talent" or manifest.get("format") != FORMAT:
        raise CbecError(f"{archive} is not a CBEC Talent backup of format {FORMAT}.")
    return manifest


def _safe_members(tar: tarfile.TarFile):
    for m in tar.getmembers():
        name = Path(m.name)
        if name.is_absolute() or ".." in name.parts or not (m.isfile() or m.isdir()):
            raise CbecError(f"Refused: the archive member {m.name} points outside the backup.")
        yield m


def _migrate_to(targets: list[tuple[str, str | None]]) -> None:
    conn = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(conn)
    executor.loader.check_consistent_history(conn)
    executor.migrate(targets)


def _backup_targets(manifest: dict) -> list[tuple[str, str | None]]:
    """Per app, the backup's last applied migration (apps it did not have: none applied)."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    graph = executor.loader.graph
    applied = {tuple(x) for x in manifest["migrations"]}
    unknown = sorted(f"{a}.{n}" for a, n in applied if (a, n) not in graph.nodes)
    if unknown:
        raise CbecError(
            "The backup was made by a newer version of CBEC Talent (migrations unknown here: "
            + ", ".join(unknown[:10])
            + "); restore it with that version or a later one."
        )
    targets = []
    for app in sorted({a for a, _n in graph.nodes}):
        leaves = [n for (a, n) in graph.leaf_nodes(app)]
        mine = [(a, n) for a, n in applied if a == app]
        if not mine:
            targets.append((app, None))
            continue
        # the applied migration of this app that no other applied one of the app depends on
        applied_app = {n for _a, n in mine}
        tips = [
            n
            for n in applied_app
            if not any((app, n) in graph.node_map[(app, m)].parents for m in applied_app if m != n)
        ]
        targets.append((app, sorted(tips)[-1] if tips else leaves[0]))
    return targets


def _empty_tables(models) -> None:
    conn = connections[DEFAULT_DB_ALIAS]
    tables = [m._meta.db_table for m in models]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks still pending in this transaction run now
            quoted = ", ".join(conn.ops.quote_name(t) for t in tables)
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for t in tables:
                cursor.execute(f"DELETE FROM {conn.ops.quote_name(t)}")
            if _has_sqlite_sequence(cursor):
                cursor.execute("DELETE FROM sqlite_sequence")


def _has_sqlite_sequence(cursor) -> bool:
    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
    return cursor.fetchone() is not None


def _load_table(model, lines, columns: list[str]) -> int:
    conn = connections[DEFAULT_DB_ALIAS]
    by_column = {f.column: f for f in _columns(model)}
    missing = [c for c in columns if c not in by_column]
    if missing:
        raise CbecError(f"Table {model._meta.db_table}: columns {missing} of the backup are unknown here.")
    fields = [by_column[c] for c in columns]
    q = conn.ops.quote_name
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    n = 0
    batch = []
    with conn.cursor() as cursor:
        for line in lines:
            raw = json.loads(line)
            params = []
            for f, v in zip(fields, raw, strict=True):
                if _is_json(f):
                    value = None if v is None else json.loads(v["$json"])
                    params.append(f.get_db_prep_save(value, conn) if value is not None else None)
                else:
                    params.append(f.get_db_prep_save(_from_portable(v), conn))
            batch.append(params)
            if len(batch) >= 1000:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


def _sqlite_path() -> Path:
    return Path(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])


def restore_archive(*, archive: Path, method: str = "auto") -> RestoreResult:
    """Replace the database and the uploaded files by the archive's. ``method``: "auto" (SQLite file into SQLite,
    else the portable rows), "rows" (always the portable rows) or "file" (SQLite only). Stop the server and the
    worker first: a restore replaces everything."""
    import time

    started = time.monotonic()
    archive = Path(archive)
    manifest = read_manifest(archive)
    conn = connections[DEFAULT_DB_ALIAS]
    if method == "auto":
        method = "file" if conn.vendor == "sqlite" and manifest["vendor"] == "sqlite" else "rows"
    if method == "file" and not (conn.vendor == "sqlite" and manifest["vendor"] == "sqlite"):
        raise CbecError("A file restore needs a SQLite backup and a SQLite database; use the rows.")
    with tempfile.TemporaryDirectory(prefix="cbec-restore-") as tmp_name:
        tmp = Path(tmp_name)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, members=list(_safe_members(tar)), filter="data")
        if method == "file":
            conn.close()
            target = _sqlite_path()
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            shutil.copyfile(tmp / "database.sqlite3", target)
            conn.close()
            from django.core.management import call_command

            call_command("migrate", "--noinput", verbosity=0)
        else:
            _migrate_to(_backup_targets(manifest))
            models = {m._meta.db_table: m for m in backed_up_models()}
            unknown = sorted(set(manifest["tables"]) - set(models))
            if unknown:
                raise CbecError(f"The backup has tables unknown here: {', '.join(unknown[:10])}.")
            with transaction.atomic():
                present = [models[t] for t in manifest["tables"]]
                _empty_tables(present)
                for table, info in manifest["tables"].items():
                    with open(tmp / "tables" / f"{table}.jsonl", "rb") as f:
                        _load_table(models[table], f, info["columns"])
                if conn.vendor == "postgresql":
                    sql = conn.ops.sequence_reset_sql(no_style(), present)
                    with conn.cursor() as cursor:
                        for statement in sql:
                            cursor.execute(statement)
            from django.core.management import call_command

            call_command("migrate", "--noinput", verbosity=0)
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        media.mkdir(parents=True, exist_ok=True)
        source = tmp / "media"
        if source.exists():
            shutil.copytree(source, media, dirs_exist_ok=True)
    mismatches = verify(manifest)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    return RestoreResult(
        len(manifest["tables"]), rows, len(manifest["files"]), time.monotonic() - started, method, mismatches
    )


def verify(manifest: dict) -> list[str]:
    """What differs between the database and files now and the manifest (empty: identical)."""
    now = table_checksums()
    out = []
    for table, info in manifest["tables"].items():
        got = now.get(table)
        if got is None:
            out.append(f"table {table}: missing")
        elif got["rows"] != info["rows"] or got["sha256"] != info["sha256"]:
            out.append(f"table {table}: {got['rows']} rows (backup {info['rows']}), checksum differs")
    files = file_checksums()
    for rel, digest in manifest["files"].items():
        if files.get(rel) != digest:
            out.append(f"file {rel}: {'missing' if rel not in files else 'differs'}")
    out.extend(f"file {rel}: not in the backup" for rel in files if rel not in manifest["files"])
    return out
