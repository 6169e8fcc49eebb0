"""Labour-market demand end to end: N generated postings (~2 KB each, mixed Chinese and English, from the seeded
generator cbec_talent.engines.demand.synth) written to a CSV file, imported through the real import path of the
pages (services.import_create with the file, then services.import_start, which enqueues the background task
run_import; the test settings run it with the immediate backend) into a fresh database (SQLite file by
default, --postgres for the PostgreSQL at 127.0.0.1:5432), then the demand dashboard's selectors and pages
timed on the result (median of 5).

Baselines, measured in the same run:
- import, the previous method (headline ratio): the same import with settings.POSTINGS_IMPORT_FAST = False on
  --previous-n postings of the same kind -- the path before decision 0014: the file parsed row by row in the
  importing process, one dict per posting for its values, WAL checkpoints made by the import's own commits;
  postings/s compared (ratio).
- import, naive: row at a time through the ORM on --baseline-n postings (duplicate look-ups, tag one posting,
  full_clean, save with its audit entry, autocommit per row), one process (naive_ratio).
- dashboard: the figures counted directly from the N stored postings with one GROUP BY per dimension
  (selectors.demand_counts_direct, what the dashboard would have to do without the pre-aggregated
  DemandCount rows); timed once at full N (median of --baseline-runs).

Phases are the importing process's wall time (checking and tagging -- and on the fast path parsing -- run in
worker processes for large files; their CPU time is printed beside). Peak RSS: the process and its workers,
sampled from /proc every 0.2 s. The machine's load average is printed before and after (other processes share
the cores: the figures hold for that load).
Run: .venv/bin/python bench/demand_end_to_end.py [--n 1000000] [--postgres [--pg-name NAME]] [--retag]
     [--csv PATH (reuse/keep)] [--previous-n 50000]
(1,000,000 postings: a 2 GB CSV, a 4 GB SQLite file.)
The requirements checked: 1,000,000 postings imported, tagged and aggregated within 120 s (8,300 postings/s) and
2 GB, the dashboard's queries under 200 ms on that million.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

HEADER = ["职位名称", "公司名称", "职位描述", "工作地点", "发布日期", "来源"]
_PREFIX = ["深圳", "广州", "杭州", "义乌", "宁波", "厦门", "东莞", "上海"]
_WORD = ["海帆", "云图", "东港", "星河", "远航", "蓝鲸", "樱桥", "北辰", "汉江", "光影"]
_KIND = ["贸易有限公司", "电子商务有限公司", "进出口有限公司", "供应链有限公司", "科技有限公司"]
_SOURCES = ["前程无忧", "智联招聘", "BOSS直聘", "猎聘"]


def peak_rss_mb() -> float:
    """Peak resident memory of this process plus the largest of its children (ru_maxrss is in KB on Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


class TreeRss:
    """Samples the resident memory of this process plus all its descendants (from /proc) every 0.2 s."""

    def __init__(self):
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _rss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        out = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                out += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            todo, total = [os.getpid()], 0
            while todo:
                pid = todo.pop()
                total += self._rss_kb(pid)
                todo += self._children(pid)
            self.peak = max(self.peak, total / 1024)
            self._stop.wait(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def write_csv(path: Path, n: int, start: int = 0, block: int = 5000) -> float:
    """n postings in blocks of the seeded generator; each made unique by its company name. Returns MB."""
    from cbec_talent.engines.demand.synth import generate_postings

    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        i = start
        while i < start + n:
            size = min(block, start + n - i)
            for p in generate_postings(size, seed=20260 + i // block):
                company = f"{_PREFIX[i % 8]}{_WORD[(i // 8) % 10]}{_KIND[(i // 80) % 5]}{i}号"
                writer.writerow([p.title, company, p.text, p.location, p.posted, _SOURCES[i % 4]])
                i += 1
    return path.stat().st_size / 1e6


def setup_django(workdir: Path, postgres: bool, pg_name: str = "cbec_bench_e2e") -> str:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cbec_talent.settings.test"
    os.environ["POSTINGS_MAX_BYTES"] = str(1 << 40)
    if postgres:
        import psycopg

        name = pg_name
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        db = workdir / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    import django
    from django.conf import settings

    django.setup()
    settings.MEDIA_ROOT = str(workdir / "media")
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from cbec_talent.competencies import services, taxonomies
    from cbec_talent.programmes.services import sample_load

    framework, _created = services.reference_load()
    sample_load(framework=framework)
    taxonomies.import_csco(taxonomies.VENDORED_CSCO.read_bytes())
    from django.db import connection

    return connection.vendor


class Phases:
    """Wall time per phase of the real import, by wrapping the functions the import service calls."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, module, name: str, phase: str) -> None:
        fn = getattr(module, name)

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[phase] += time.perf_counter() - t0

        setattr(module, name, timed)

    def wrap_reader(self, module) -> None:
        """Time every row the reader yields (parsing the file) as 'read'."""
        base = module.RowReader
        seconds = self.seconds

        class TimedReader(base):
            def rows(self, header_only: bool = False):
                it = super().rows(header_only)
                while True:
                    t0 = time.perf_counter()
                    try:
                        item = next(it)
                    except StopIteration:
                        seconds["read"] += time.perf_counter() - t0
                        return
                    seconds["read"] += time.perf_counter() - t0
                    yield item

        module.RowReader = TimedReader

    def wrap_blocks(self, module) -> None:
        """Time the importing process's part of reading on the fast path (the decoding check and the cutting
        into blocks of records) as 'read'."""
        base = module.RowReader
        seconds = self.seconds

        class TimedBlocks(base):
            def record_blocks(self, *args, **kwargs):
                it = super().record_blocks(*args, **kwargs)
                while True:
                    t0 = time.perf_counter()
                    try:
                        item = next(it)
                    except StopIteration:
                        seconds["read"] += time.perf_counter() - t0
                        return
                    seconds["read"] += time.perf_counter() - t0
                    yield item

        module.RowReader = TimedBlocks

    def wrap_chunks(self, module) -> None:
        """Time the importing process spends waiting for the next checked (and tagged) chunk; the reading it does
        meanwhile is subtracted afterwards (see split)."""
        fn = module.map_chunks
        seconds = self.seconds

        def timed(*args, **kwargs):
            it = fn(*args, **kwargs)
            try:
                while True:
                    t0 = time.perf_counter()
                    try:
                        item = next(it)
                    except StopIteration:
                        return
                    finally:
                        seconds["wait"] += time.perf_counter() - t0
                    yield item
            finally:
                it.close()

        module.map_chunks = timed

    def split(self) -> dict[str, float]:
        out = dict(self.seconds)
        out["check+tag"] = max(0.0, out.pop("wait", 0.0) - out.get("read", 0.0))
        return out


def run_import(csv_path: Path, phases: Phases | None = None):
    """The pages' path: import_create (copies the file, guesses the mapping), then import_start (queues the
    background task, which runs import_run)."""
    from django.core.files import File

    from cbec_talent.competencies.models import Framework
    from cbec_talent.labour_market import services

    framework = Framework.objects.get(is_reference=True)
    with open(csv_path, "rb") as fh:
        imp = services.import_create(uploaded_file=File(fh, name=csv_path.name), framework=framework)
    assert imp.mapping.get("title") == "职位名称", imp.mapping
    imp = services.import_start(posting_import=imp, mapping=imp.mapping, keep_good_rows=False)
    assert imp.status == "done", (imp.status, imp.problems)
    return imp


def naive_import(csv_path: Path) -> int:
    """Baseline: the straightforward row-at-a-time ORM import (same reader, checks and engine)."""
    from cbec_talent.competencies.models import Framework
    from cbec_talent.labour_market.models import Posting, PostingImport
    from cbec_talent.labour_market.processing import build_postings, check_row, framework_keyword_table, tag_rows
    from cbec_talent.labour_market.reading import RowReader, detect_encoding, guess_mapping

    framework = Framework.objects.get(is_reference=True)
    encoding = detect_encoding(csv_path.read_bytes()[:65536])
    reader = RowReader(csv_path, "csv", encoding)
    mapping = guess_mapping(reader.headers())
    imp = PostingImport.objects.create(
        file_name="naive.csv", stored_path=str(csv_path), file_format="csv", framework=framework, mapping=mapping
    )
    table = framework_keyword_table(framework)
    stored = 0
    for number, raw in reader.rows():
        row, problems = check_row(number, raw, mapping)
        if row is None:
            continue
        if Posting.objects.filter(hash=row.hash).exists() or Posting.objects.filter(near_key=row.near_key).exists():
            continue
        (posting,) = build_postings(imp, [row], tag_rows([row], table))
        posting.full_clean()
        posting.save()
        stored += 1
    imp.delete()
    return stored


def previous_import(csv_path: Path) -> tuple[int, float]:
    """Baseline: the previous import path (settings.POSTINGS_IMPORT_FAST = False) through the same pages' path;
    (postings stored, seconds). Its postings are removed afterwards."""
    from django.conf import settings

    from cbec_talent.labour_market.models import DemandCount, Posting
    from cbec_talent.labour_market.processing import delete_rows

    settings.POSTINGS_IMPORT_FAST = False
    try:
        t0 = time.perf_counter()
        imp = run_import(csv_path)
        seconds = time.perf_counter() - t0
    finally:
        settings.POSTINGS_IMPORT_FAST = True
    delete_rows(DemandCount.objects.filter(posting_import=imp))
    delete_rows(Posting.objects.filter(posting_import=imp))
    imp.delete()
    return imp.rows_stored, seconds


def median_ms(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def time_dashboard(import_id: int) -> tuple[dict[str, float], float, int]:
    """Median ms of each selector the dashboard and gap pages call and of the pages themselves (test client);
    also the slowest single SQL statement of the dashboard page and its number of queries."""
    from django.db import connection
    from django.test import Client

    from cbec_talent.accounts.models import User, UserRole
    from cbec_talent.labour_market import dashboard, selectors
    from cbec_talent.programmes.models import Programme

    user = User.objects.create_user(username="bench_director", password="Bench-pass-2026", display_name="bench")
    UserRole.objects.create(user=user, role="director")
    client = Client()
    client.force_login(user)
    programme = Programme.objects.order_by("code", "version").first()
    timings = {
        "selectors.demand_counts()": median_ms(lambda: selectors.demand_counts()),
        "selectors.demand_dashboard()": median_ms(lambda: selectors.demand_dashboard()),
        "selectors.demand_dashboard(import)": median_ms(lambda: selectors.demand_dashboard(import_id)),
        "selectors.finished_imports()": median_ms(lambda: list(selectors.finished_imports())),
        "dashboard.cards()": median_ms(lambda: dashboard.cards(user)),
        "selectors.gap_report(programme)": median_ms(lambda: selectors.gap_report(programme)),
    }

    def page(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    for url in ("/demand/", f"/demand/?import={import_id}", "/demand/gap/", "/demand/export.xlsx"):
        timings[f"GET {url}"] = median_ms(lambda url=url: page(url))
    statements: list[float] = []

    def timer(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(1000 * (time.perf_counter() - t0))

    for _ in range(5):
        with connection.execute_wrapper(timer):
            page("/demand/")
    queries = len(statements) // 5
    slowest = max(statistics.median(statements[i::queries]) for i in range(queries))
    return timings, slowest, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="postings to import (default 1,000,000)")
    parser.add_argument("--baseline-n", type=int, default=2000, help="postings for the naive import baseline")
    parser.add_argument(
        "--previous-n", type=int, default=50_000, help="postings for the previous import path (the baseline)"
    )
    parser.add_argument("--pg-name", default="cbec_bench_e2e", help="PostgreSQL database (dropped and created)")
    parser.add_argument("--baseline-runs", type=int, default=1, help="runs of the direct GROUP BY baseline")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL at 127.0.0.1:5432 instead of SQLite")
    parser.add_argument(
        "--retag", action="store_true", help="also tag the stored postings again (the import page's button), timed"
    )
    parser.add_argument("--csv", type=Path, help="CSV file to reuse when it exists (else written and kept there)")
    parser.add_argument(
        "--workdir", type=Path, help="where the database and media go, kept (default: a temporary directory)"
    )
    args = parser.parse_args()
    if args.workdir is None:  # a temporary directory, removed afterwards (the CSV too, unless --csv)
        with tempfile.TemporaryDirectory(prefix="demand-e2e-") as tmp:
            run(args, Path(tmp))
    else:
        run(args, args.workdir)


def run(args, workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)

    csv_path = args.csv or workdir / "postings.csv"
    t0 = time.perf_counter()
    if csv_path.exists() and args.csv:
        mb = csv_path.stat().st_size / 1e6
        print(f"reusing {csv_path} ({mb:.0f} MB)")
    else:
        mb = write_csv(csv_path, args.n)
        print(f"wrote {args.n} postings to {csv_path}: {mb:.0f} MB in {time.perf_counter() - t0:.0f} s")
    base_csv = workdir / "baseline.csv"
    write_csv(base_csv, args.baseline_n, start=10**9)  # other companies: no duplicates of the main file
    previous_csv = workdir / "previous.csv"
    write_csv(previous_csv, args.previous_n, start=2 * 10**9)

    vendor = setup_django(workdir, args.postgres, args.pg_name)
    print(f"database: {vendor} ({os.environ['DATABASE_URL']})")
    load_start = os.getloadavg()[0]
    print(f"load average (1 min) at the start: {load_start:.2f} on {os.cpu_count()} cores")

    previous_stored, previous_s = previous_import(previous_csv)
    previous_rate = previous_stored / previous_s
    print(
        f"previous import path (POSTINGS_IMPORT_FAST=False): {previous_stored} postings in {previous_s:.1f} s = "
        f"{previous_rate:.0f} postings/s"
    )

    t0 = time.perf_counter()
    naive_stored = naive_import(base_csv)
    naive_s = time.perf_counter() - t0
    naive_rate = naive_stored / naive_s
    print(f"naive row-at-a-time import: {naive_stored} postings in {naive_s:.1f} s = {naive_rate:.0f} postings/s")
    from cbec_talent.labour_market.models import Posting
    from cbec_talent.labour_market.processing import delete_rows

    delete_rows(Posting.objects.all())

    from cbec_talent.labour_market import services

    phases = Phases()
    phases.wrap_reader(services)
    phases.wrap_blocks(services)
    phases.wrap_chunks(services)
    phases.wrap(services, "import_create", "copy")
    phases.wrap(services, "insert_postings", "write")
    phases.wrap(services, "count_demand", "aggregate")
    phases.wrap(services, "save_counts", "aggregate")
    load_before = os.getloadavg()[0]
    rss_before = peak_rss_mb()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_cpu_before = before.ru_utime + before.ru_stime
    sampler = TreeRss()
    t0, cpu0 = time.perf_counter(), time.process_time()
    imp = run_import(csv_path, phases)
    total_s = time.perf_counter() - t0
    process_cpu_s = time.process_time() - cpu0
    tree_rss = sampler.stop()
    load_after = os.getloadavg()[0]
    rss = max(peak_rss_mb(), tree_rss)
    stored = imp.rows_stored
    rate = stored / total_s
    print(f"\nimport of {imp.rows_read} rows ({mb:.0f} MB): {stored} postings stored in {total_s:.1f} s")
    print(
        f"ours {rate:.0f} postings/s vs the previous path {previous_rate:.0f} postings/s: ratio "
        f"{rate / previous_rate:.1f} (load average {load_before:.2f} before, {load_after:.2f} after)"
    )
    split = phases.split()
    workers_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu_s = workers_cpu.ru_utime + workers_cpu.ru_stime - children_cpu_before
    print(f"workers: {services.import_workers(imp)}; their CPU time (parse + check + tag): {workers_cpu_s:.1f} s")
    cpu_s = process_cpu_s + workers_cpu_s
    print(
        f"CPU time of the import: {process_cpu_s:.1f} s importing process (all its threads) + {workers_cpu_s:.1f} s "
        f"workers = {cpu_s:.1f} s, {1e6 * cpu_s / max(1, stored):.0f} us a posting (on {os.cpu_count()} idle cores "
        f"at best {cpu_s / (os.cpu_count() or 1):.0f} s of wall time)"
    )
    print(f"{'phase (wall, importing process)':34}{'s':>9}{'share':>8}")
    notes = {
        "copy": "upload: the file copied to MEDIA_ROOT, header read",
        "read": "decoding check + cutting into blocks of records (parsing: in the workers)",
        "check+tag": "waiting for the workers' parsed, checked, tagged chunks",
        "write": "INSERT executemany (SQLite) or COPY (PostgreSQL) + commit, per chunk",
        "aggregate": "demand counts + DemandCount rows",
    }
    accounted = 0.0
    for phase in ("copy", "read", "check+tag", "write", "aggregate"):
        s = split.get(phase, 0.0)
        accounted += s
        print(f"{phase:34}{s:9.1f}{100 * s / total_s:7.0f}%   {notes[phase]}")
    other = total_s - accounted
    print(f"{'other':34}{other:9.1f}{100 * other / total_s:7.0f}%   duplicate checks, progress, hand-off to workers")
    print(
        f"peak RSS {rss:.0f} MB: sampled sum over the process and its workers {tree_rss:.0f} MB, "
        f"getrusage self + largest child {peak_rss_mb():.0f} MB (before the import: {rss_before:.0f} MB)"
    )

    timings, slowest_sql, queries = time_dashboard(imp.pk)
    print(f"\n{'dashboard (median of 5)':44}{'ms':>9}")
    for name, ms in timings.items():
        print(f"{name:44}{ms:9.1f}")
    print(f"slowest SQL statement of GET /demand/: {slowest_sql:.2f} ms, median of 5 ({queries} queries)")
    selector_max = max(
        ms for name, ms in timings.items() if name.startswith(("selectors.", "dashboard.")) and "gap" not in name
    )

    from cbec_talent.labour_market import selectors

    base_dash_ms = direct = None
    if args.baseline_runs > 0:  # the first run is timed too (it takes minutes on a million)
        times = []
        for _ in range(args.baseline_runs):
            t0 = time.perf_counter()
            direct = selectors.demand_counts_direct()
            times.append(1000 * (time.perf_counter() - t0))
        base_dash_ms = statistics.median(times)
        print(f"baseline: figures by GROUP BY over the {stored} stored postings: {base_dash_ms:.0f} ms")
        assert direct == selectors.demand_counts(), "pre-aggregated figures differ from the direct count"
        print("pre-aggregated figures == direct GROUP BY over the stored postings: yes")
    else:
        print("baseline GROUP BY over the stored postings: skipped (--baseline-runs 0)")
    ours_counts_ms = timings["selectors.demand_counts()"]
    print(
        f"\nend to end {total_s:.0f} s (limit 120), peak RSS {rss:.0f} MB (limit 2048), "
        f"slowest dashboard selector {selector_max:.1f} ms (limit 200; gap report "
        f"{timings['selectors.gap_report(programme)']:.0f} ms, dashboard page {timings['GET /demand/']:.0f} ms)"
    )
    retag = {}
    ours_figures = selectors.demand_counts()
    if args.retag:  # same keywords: the tags and figures must come out unchanged
        sampler = TreeRss()
        t0 = time.perf_counter()
        again = services.import_retag(posting_import=imp, run_inline=True)
        retag_s = time.perf_counter() - t0
        retag_rss = sampler.stop()
        expected = direct if direct is not None else ours_figures
        assert not again.retagging and selectors.demand_counts() == expected, "figures changed by a retag"
        print(f"retag of {stored} postings: {retag_s:.1f} s ({stored / retag_s:.0f}/s), peak RSS {retag_rss:.0f} MB")
        retag = {
            "retag_s": round(retag_s, 1),
            "retag_postings_per_s": round(stored / retag_s),
            "retag_rss_mb": round(retag_rss),
        }
    from django.db import connections

    connections.close_all()
    print(
        json.dumps(
            {
                "postings_per_s": round(rate),
                "end_to_end_s": round(total_s, 1),
                "baseline_postings_per_s": round(previous_rate),
                "ratio": round(rate / previous_rate, 2),
                "baseline_n": previous_stored,
                "peak_rss_mb": round(rss),
                "dashboard_max_query_ms": round(selector_max, 1),
                "dashboard_slowest_sql_ms": round(slowest_sql, 2),
                "dashboard_page_ms": round(timings["GET /demand/"], 1),
                "gap_report_ms": round(timings["selectors.gap_report(programme)"], 1),
                "naive_postings_per_s": round(naive_rate),
                "naive_ratio": round(rate / naive_rate, 1),
                "baseline_dashboard_counts_ms": None if base_dash_ms is None else round(base_dash_ms),
                "dashboard_ratio": None if base_dash_ms is None else round(base_dash_ms / ours_counts_ms, 1),
                "phases_s": {k: round(v, 1) for k, v in split.items()},
                "workers_cpu_s": round(workers_cpu_s, 1),
                "process_cpu_s": round(process_cpu_s, 1),
                "cpu_us_per_posting": round(1e6 * cpu_s / max(1, stored)),
                "n": stored,
                "naive_n": naive_stored,
                "load_avg_1m": [round(load_start, 2), round(load_before, 2), round(load_after, 2)],
                "csv_mb": round(mb),
                "database": vendor,
                **retag,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
