"""Backup and restore: a round trip gives back every table and every uploaded file, checksum for checksum."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile

import pytest

from cbec_talent.operations import backup


@pytest.fixture
def site(db, media_root, settings, reference, make_user):
    """A little college: users, the reference framework (loaded for the session), an uploaded file."""
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "imports").mkdir()
    (settings.MEDIA_ROOT / "imports" / "postings.csv").write_text("title\n跨境电商运营专员\n", encoding="utf-8")
    make_user("dir1", "director")
    make_user("stu1", "student")
    return settings.MEDIA_ROOT


def test_round_trip_restores_every_table_and_file(site, tmp_path, reference):
    from cbec_talent.accounts.models import User
    from cbec_talent.competencies.models import Competency

    archive = backup.backup_create(output=tmp_path / "b.tar.gz")
    assert archive.rows > 100 and archive.files == 1
    before = backup.table_checksums()
    manifest = backup.read_manifest(archive.path)
    assert {t: v["sha256"] for t, v in manifest["tables"].items()} == {t: v["sha256"] for t, v in before.items()}

    # then things change: a user is deleted, another added, a competency renamed, the file replaced and another added
    User.objects.filter(username="stu1").delete()
    User.objects.create_user(username="intruder", password="Correct-horse-42")
    Competency.objects.filter(framework=reference).update(name_en="changed")
    (site / "imports" / "postings.csv").write_text("other", encoding="utf-8")
    (site / "stray.txt").write_text("x", encoding="utf-8")
    assert backup.verify(manifest)  # the difference is seen

    result = backup.restore_archive(archive=archive.path, method="rows")
    assert result.identical, result.mismatches
    assert backup.table_checksums() == before
    assert User.objects.filter(username="stu1").exists() and not User.objects.filter(username="intruder").exists()
    assert not Competency.objects.filter(name_en="changed").exists()
    assert (site / "imports" / "postings.csv").read_text(encoding="utf-8") == "title\n跨境电商运营专员\n"
    assert not (site / "stray.txt").exists()
    # new rows get fresh ids after the restore (sequences follow the restored rows)
    newcomer = User.objects.create_user(username="after", password="Correct-horse-42")
    assert newcomer.pk > max(User.objects.exclude(pk=newcomer.pk).values_list("pk", flat=True))


def test_archive_is_refused_when_it_is_not_a_backup(tmp_path, db):
    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(__file__, arcname="hello.py")
    from cbec_talent.core.errors import CbecError

    with pytest.raises(CbecError, match="not a CBEC Talent backup"):
        backup.read_manifest(bogus)


def test_checksums_do_not_depend_on_row_order():
    a, b = backup.TableSum(), backup.TableSum()
    lines = [json.dumps([i, f"r{i}"]).encode() for i in range(50)]
    for line in lines:
        a.add(line)
    for line in reversed(lines):
        b.add(line)
    assert a.hexdigest() == b.hexdigest() and a.rows == 50
    b.add(lines[0])
    assert b.hexdigest() != a.hexdigest()  # a doubled row changes the checksum


def test_cli_backup_then_restore_of_a_running_sqlite_site(tmp_path):
    """The real command on a real SQLite file: backup while a writer process keeps inserting, restore, compare."""
    env = {
        "CBEC_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.dev",
        "PATH": "/usr/bin:/bin",
    }
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "cbec_talent.cli", *args], env=env, capture_output=True, text=True, timeout=240
        )

    assert run("migrate").returncode == 0
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "writing"  # the writer is inserting while the backup runs
        out = run("backup", "-o", str(tmp_path / "live.tar.gz"))
        assert out.returncode == 0, out.stderr
    finally:
        writer.kill()
        writer.wait()
    manifest = backup.read_manifest(tmp_path / "live.tar.gz")
    assert manifest["tables"]["accounts_user"]["rows"] > 0
    for method in ("file", "rows"):
        out = run("restore", str(tmp_path / "live.tar.gz"), "--yes", "--method", method)
        assert out.returncode == 0, out.stderr
        assert "matches the backup" in out.stdout

    # the way a college grows: the SQLite backup restores into PostgreSQL, checksum for checksum
    admin_url = os.environ.get("CBEC_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        import psycopg

        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL is not reachable at {admin_url} ({exc.__class__.__name__}): SQLite -> PostgreSQL")
    name = f"cbec_restore_test_{os.getpid()}"
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    try:
        env["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + "/" + name
        out = run("restore", str(tmp_path / "live.tar.gz"), "--yes")
        assert out.returncode == 0, out.stderr
        assert "(rows;" in out.stdout and "matches the backup" in out.stdout
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


WRITER = """
import django, os
django.setup()
from cbec_talent.accounts.models import User
i = 0
while True:
    User.objects.create(username=f"w{os.getpid()}_{i}", display_name="w")
    if i == 0:
        print("writing", flush=True)
    i += 1
"""
