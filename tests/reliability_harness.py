"""Real-process fault drills, shared by the test suite (short) and bench/reliability.py (long).

A site is a SQLite file (or a PostgreSQL database) with its own var folder; `cbec-talent worker` runs as a real
process and is killed with SIGKILL mid-job; the drill then checks the job's state, that no row was lost or
doubled, presses retry and compares the result with an uninterrupted run of the same job on a copy of the site
taken before the job started.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEADER = ["职位名称", "公司", "职位描述", "工作地点", "薪资", "发布日期"]
TITLES = ["跨境电商运营专员", "外贸业务员", "日语客服专员", "数据分析师", "亚马逊运营", "海外社媒推广", "物流专员"]
CITIES = ["深圳-宝安区", "宁波", "杭州", "广州-天河区", "义乌", "厦门"]
WORDS = [
    "负责亚马逊店铺运营",
    "英语四级以上",
    "熟练使用Excel做数据分析",
    "开发海外客户",
    "熟悉外贸流程和报关",
    "日语N2以上",
    "熟悉SQL和Python",
    "TikTok短视频推广",
    "独立站Shopify",
    "海外仓物流",
    "英语口语流利",
]


def postings_csv(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\n")
        for i in range(n):
            desc = "，".join(rng.sample(WORDS, 4)) + f"。编号{i}"
            f.write(
                f"{rng.choice(TITLES)}{i % 97},公司{i % 503}有限公司,{desc},{rng.choice(CITIES)},"
                f"{rng.randint(5, 9)}000-{rng.randint(10, 15)}000元/月,2024-{1 + i % 12:02d}-{1 + i % 27:02d}\n"
            )
    return path


class Site:
    """One site on disk: environment for its processes, helpers to run code in it and to start its worker."""

    def __init__(self, folder: Path, database_url: str | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db_path = self.folder / "site.sqlite3"
        self.env = {
            **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")},
            "CBEC_VAR_DIR": str(self.folder / "var"),
            "DATABASE_URL": database_url or f"sqlite:///{self.db_path}",
            "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.dev",
            "DEBUG": "0",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "CBEC_HEARTBEAT_SECONDS": "0.3",
            "CBEC_WORKER_STALE_SECONDS": "2",
            "CBEC_SWEEP_SECONDS": "0.5",
            "CBEC_SHARED_DATA": os.environ.get("CBEC_SHARED_DATA", str(ROOT.parent / "shared" / "data")),
            "PYTHONPATH": str(ROOT),
        }
        self.workers: list[subprocess.Popen] = []

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        out = subprocess.run(
            [sys.executable, "-m", "cbec_talent.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
        )
        if out.returncode != 0:
            raise RuntimeError(f"cbec-talent {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out

    def setup(self) -> Site:
        self.cli("migrate")
        self.cli("load-reference", "--skip-taxonomies")
        return self

    def py(self, code: str, timeout: float = 600):
        """Run ``code`` (Django set up; it assigns ``result``) in a fresh process; returns ``result``."""
        script = (
            "import django, json, sys\ndjango.setup()\nresult = None\n"
            + code
            + "\nsys.stdout.write('\\n@@' + json.dumps(result, default=str))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
        )
        if out.returncode != 0:
            raise RuntimeError(f"site code failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.rsplit("\n@@", 1)[1])

    def copy_to(self, folder: Path) -> Site:
        """A copy of this SQLite site (database and files) in another folder."""
        other = Site(folder)
        self.py("from django.db import connection\nconnection.cursor().execute('PRAGMA wal_checkpoint(TRUNCATE)')")
        shutil.copyfile(self.db_path, other.db_path)
        if (self.folder / "var").exists():
            shutil.copytree(self.folder / "var", other.folder / "var", dirs_exist_ok=True)
        return other

    def _log(self):
        return open(self.folder / f"worker-{len(self.workers)}.log", "wb")

    def start_worker(self) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cbec_talent.cli", "worker", "--interval", "0.1"],
            env={**self.env, "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.dev"},
            cwd=self.folder,
            stdout=self._log(),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(proc)
        return proc

    def kill9(self, proc: subprocess.Popen) -> None:
        """SIGKILL the worker and everything it forked (its import worker processes too)."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def stop_workers(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                self.kill9(proc)
        self.workers = []

    def sql(self, query: str, params=()):
        """One row of a read-only query on the SQLite file, straight from this process (fast enough to poll)."""
        import sqlite3

        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=20)
        try:
            return conn.execute(query, params).fetchone()
        finally:
            conn.close()

    def wait_sql(self, query: str, predicate, timeout: float = 120, every: float = 0.005):
        deadline = time.monotonic() + timeout
        while True:
            value = self.sql(query)
            if value is not None and predicate(value):
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s; last value {value!r}")
            time.sleep(every)

    def wait_for(self, code: str, predicate, timeout: float = 120, every: float = 0.05):
        deadline = time.monotonic() + timeout
        while True:
            value = self.py(code)
            if predicate(value):
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s; last value {value!r}")
            time.sleep(every)


# --- the jobs ---------------------------------------------------------------------------------------------------

QUEUE_IMPORT = """
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from cbec_talent.competencies.models import Framework
from cbec_talent.labour_market import services
fw = Framework.objects.get(code="CBEC-REF", is_reference=True)
data = Path({path!r}).read_bytes()
imp = services.import_create(uploaded_file=SimpleUploadedFile("postings.csv", data), framework=fw)
imp = services.import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=False, run_inline={inline})
result = imp.pk
"""

IMPORT_STATE = """
from cbec_talent.labour_market.models import PostingImport, Posting, DemandCount
imp = PostingImport.objects.get(pk={pk})
result = {{"status": imp.status, "progress": imp.progress, "retagging": imp.retagging, "message": imp.message,
          "postings": Posting.objects.filter(posting_import=imp).count(),
          "counts": DemandCount.objects.filter(posting_import=imp).count()}}
"""

IMPORT_RESULT = """
import hashlib, json
from cbec_talent.labour_market.models import Posting, DemandCount
rows = sorted(json.dumps([p.hash, p.row, p.title, p.city, p.position, p.month, str(p.salary_min), p.tags],
                         sort_keys=True, ensure_ascii=False)
              for p in Posting.objects.filter(posting_import_id={pk}))
counts = sorted((d.kind, d.code, d.month, d.postings) for d in DemandCount.objects.filter(posting_import_id={pk}))
result = {{"postings": len(rows), "distinct_hashes": len({{json.loads(r)[0] for r in rows}}),
          "digest": hashlib.sha256("\\n".join(rows).encode()).hexdigest(),
          "counts_digest": hashlib.sha256(json.dumps(counts).encode()).hexdigest(), "counts": len(counts)}}
"""

TASKS_STATE = """
from django_tasks_db.models import DBTaskResult
result = {s: DBTaskResult.objects.filter(status=s).count() for s in ("READY", "RUNNING", "SUCCESSFUL", "FAILED")}
"""

RETRY_LAST_FAILED = """
from django_tasks_db.models import DBTaskResult
from cbec_talent.operations.services import task_retry
failed = DBTaskResult.objects.filter(status="FAILED", task_path__endswith={name!r}).order_by("-enqueued_at").first()
new = task_retry(task_id=failed.pk)
result = str(new.pk) if new else None
"""


def drill_import(site: Site, csv_path: Path, *, reference_site: Site | None = None) -> dict:
    """Kill -9 the worker mid-import; check the clear state; retry; compare with an uninterrupted run."""
    worker = site.start_worker()
    pk = site.py(QUEUE_IMPORT.format(path=str(csv_path), inline=False))
    state = site.wait_sql(
        f"SELECT (SELECT count(*) FROM labour_market_posting WHERE posting_import_id = {int(pk)}), status "
        f"FROM labour_market_postingimport WHERE id = {int(pk)}",
        lambda s: s[0] > 0 and s[1] == "running",
    )
    site.kill9(worker)
    killed_with = state[0]
    site.start_worker()  # its sweep at start marks the job failed and removes what it stored
    after = site.wait_for(IMPORT_STATE.format(pk=pk), lambda s: s["status"] == "failed", timeout=60)
    tasks = site.py(TASKS_STATE)
    site.py(RETRY_LAST_FAILED.format(name="run_import"))
    done = site.wait_for(IMPORT_STATE.format(pk=pk), lambda s: s["status"] in ("done", "failed"), timeout=300)
    got = site.py(IMPORT_RESULT.format(pk=pk))
    expected = None
    if reference_site is not None:
        ref_pk = reference_site.py(QUEUE_IMPORT.format(path=str(csv_path), inline=True))
        expected = reference_site.py(IMPORT_RESULT.format(pk=ref_pk))
    site.stop_workers()
    return {
        "job": "import",
        "stored_when_killed": killed_with,
        "after_kill": after,
        "tasks_after_sweep": tasks,
        "final": done,
        "result": got,
        "expected": expected,
        "doubled_rows": got["postings"] - got["distinct_hashes"],
        "lost_rows": (expected["postings"] - got["postings"]) if expected else 0,
        "retry_identical": expected is None
        or (got["digest"], got["counts_digest"]) == (expected["digest"], expected["counts_digest"]),
    }


QUEUE_RETAG = """
from cbec_talent.labour_market.models import PostingImport
from cbec_talent.labour_market import services
imp = PostingImport.objects.get(pk={pk})
services.import_retag(posting_import=imp, run_inline={inline})
result = imp.pk
"""

RETAG_SHAPE = """
from cbec_talent.competencies.models import Competency
c = Competency.objects.filter(framework__code="CBEC-REF").order_by("code").first()
c.keywords_zh = list(c.keywords_zh) + ["编号1"]
c.save()
result = c.code
"""


def drill_retag(site: Site, pk: int, *, reference_site: Site | None = None, ref_pk: int | None = None) -> dict:
    """Kill -9 the worker mid-retag (after keyword edits): previous tags stay; retry equals an uninterrupted run."""
    before = site.py(IMPORT_RESULT.format(pk=pk))
    site.py(RETAG_SHAPE)
    worker = site.start_worker()
    site.py(QUEUE_RETAG.format(pk=pk, inline=False))
    site.wait_sql(
        f"SELECT retagging, progress FROM labour_market_postingimport WHERE id = {int(pk)}",
        lambda s: s[0] and s[1] > 0.0,
    )
    site.kill9(worker)
    mid = site.py(IMPORT_RESULT.format(pk=pk))
    site.start_worker()
    after = site.wait_for(IMPORT_STATE.format(pk=pk), lambda s: not s["retagging"], timeout=60)
    site.py(RETRY_LAST_FAILED.format(name="run_retag"))
    site.wait_sql(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL' "
        "AND task_path LIKE '%run_retag'",
        lambda s: s[0] >= 1,
        timeout=300,
    )
    got = site.py(IMPORT_RESULT.format(pk=pk))
    expected = None
    if reference_site is not None:
        reference_site.py(RETAG_SHAPE)
        reference_site.py(QUEUE_RETAG.format(pk=ref_pk, inline=True))
        expected = reference_site.py(IMPORT_RESULT.format(pk=ref_pk))
    site.stop_workers()
    return {
        "job": "retag",
        "kept_previous_tags": mid["digest"] == before["digest"],
        "after_kill": after,
        "result": got,
        "expected": expected,
        "doubled_rows": got["postings"] - got["distinct_hashes"],
        "lost_rows": before["postings"] - got["postings"],
        "retry_identical": expected is None
        or (got["digest"], got["counts_digest"]) == (expected["digest"], expected["counts_digest"]),
    }


QUEUE_OPTIMISER = """
from cbec_talent.programmes.models import Programme
from cbec_talent.programmes.optimisation import optimiser_run_start, run_optimiser
p = Programme.objects.order_by("pk").first()
run = optimiser_run_start(programme=p, time_limit=30.0)
if {inline}:
    run_optimiser.call(run.pk)
result = run.pk
"""

OPTIMISER_STATE = """
from cbec_talent.programmes.models import OptimiserRun
r = OptimiserRun.objects.get(pk={pk})
res = r.result or {{}}
result = {{"status": r.status, "message": r.message, "objective": res.get("objective"),
          "plan": sorted((x["code"], x["semester"]) for x in res.get("plan", []))}}
"""


def drill_optimiser(site: Site, *, reference_site: Site | None = None) -> dict:
    worker = site.start_worker()
    pk = site.py(QUEUE_OPTIMISER.format(inline=False))
    site.wait_sql(f"SELECT status FROM programmes_optimiserrun WHERE id = {int(pk)}", lambda s: s[0] == "running")
    site.kill9(worker)
    site.start_worker()
    after = site.wait_for(OPTIMISER_STATE.format(pk=pk), lambda s: s["status"] == "failed", timeout=60)
    site.py(RETRY_LAST_FAILED.format(name="run_optimiser"))
    got = site.wait_for(OPTIMISER_STATE.format(pk=pk), lambda s: s["status"] in ("done",), timeout=300)
    expected = None
    if reference_site is not None:
        ref = reference_site.py(QUEUE_OPTIMISER.format(inline=True))
        expected = reference_site.py(OPTIMISER_STATE.format(pk=ref))
    site.stop_workers()
    return {
        "job": "optimiser",
        "after_kill": after,
        "result": got,
        "expected": expected,
        "doubled_rows": 0,
        "lost_rows": 0,
        "retry_identical": expected is None
        or (got["plan"], got["objective"]) == (expected["plan"], expected["objective"]),
    }


def stuck_jobs(site: Site) -> int:
    """Tasks still "running" with no live worker, plus imports/runs left running or queued."""
    return site.py("""
from cbec_talent.operations.services import alive_workers
from django_tasks_db.models import DBTaskResult
from cbec_talent.labour_market.models import PostingImport
from cbec_talent.programmes.models import OptimiserRun
alive = set(alive_workers().values_list("worker_id", flat=True))
running = [r for r in DBTaskResult.objects.filter(status__in=["RUNNING", "READY"])
           if (r.worker_ids or [""])[-1] not in alive]
result = len(running) + PostingImport.objects.filter(status__in=["running", "queued"]).count() \\
    + PostingImport.objects.filter(retagging=True).count() \\
    + OptimiserRun.objects.filter(status__in=["running", "queued"]).count()
""")
