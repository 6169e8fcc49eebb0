"""Benchmark: reliability, measured against a real server (`cbec-talent serve`, gunicorn) and a real worker.

1. Crash: kill -9 of `cbec-talent worker` mid-import (N postings) and mid-retag; the job must end "failed"
   (heartbeat + sweep), no posting lost or doubled, and the retry must equal an uninterrupted run of the same job
   on a copy of the site taken before (compared by digest of every posting and demand count).
2. Concurrency: W writers x K writes of the grade grid through the server (each opens the grid, changes its own
   cell, saves), on the SQLite site: lost updates (final cell != the writer's last value), "database is locked"
   reaching a user, server errors (5xx).
3. Load: wrk, 100 connections over signed-in sessions of the five demo roles on their usual pages for D seconds
   (p95, errors, req/s); each heavy page alone. Baseline in the same run: /healthz (no page work).
4. Backup: `cbec-talent backup` while the load runs, restored into a fresh copy; every table and file checksum.

Run: .venv/bin/python bench/reliability.py [--quick] [--postings N] [--duration S]
Needs: wrk (apt install wrk). Ports 18155-18159 on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability_harness import Site, drill_import, drill_retag, postings_csv, stuck_jobs  # noqa: E402

PORT = int(os.environ.get("CBEC_BENCH_PORT", "18155"))
SECRET = "bench-" + "k" * 60

SESSIONS = """
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from cbec_talent.accounts.models import User
out = {}
for name in ("admin", "director", "teacher", "tutor", "student"):
    u = User.objects.get(username=name)
    s = SessionStore()
    s[SESSION_KEY] = str(u.pk); s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = u.get_session_auth_hash()
    s.create()
    out[name] = s.session_key
result = out
"""

GRID = """
from cbec_talent.cohorts.models import SchoolClass, Student, AssessmentComponent
from cbec_talent.cohorts import services
klass = SchoolClass.objects.order_by("pk").first()
course = AssessmentComponent.objects.order_by("pk").first().course
cohort = klass.cohort
big = SchoolClass.objects.get_or_create(cohort=cohort, name="并发 Concurrency")[0]
for i in range({writers}):
    Student.objects.get_or_create(number=f"C{{i:03d}}", defaults={{"name": f"并发{{i}}", "school_class": big}})
comp = course.assessment_components.order_by("order", "id").first()
result = {{"klass": big.pk, "course": course.pk, "component": comp.pk,
          "students": {{s.number: s.pk for s in big.students.all()}}}}
"""

PAGES = {
    "admin": ["/", "/operations/jobs/", "/accounts/audit/", "/programmes/", "/demand/"],
    "director": ["/", "/programmes/", "/demand/", "/cohorts/", "/partners/"],
    "teacher": ["/", "/cohorts/", "/practice/", "/frameworks/"],
    "tutor": ["/", "/partners/posts/"],
    "student": ["/", "/cohorts/me/", "/practice/"],
}


def start_server(site: Site, workers: int = 3) -> subprocess.Popen:
    env = {
        **site.env,
        "SECRET_KEY": SECRET,
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("DJANGO_SETTINGS_MODULE")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cbec_talent.cli", "serve", "--port", str(PORT), "--workers", str(workers)],
        env=env,
        cwd=site.folder,
        stdout=subprocess.DEVNULL,
        stderr=open(site.folder / "server.log", "wb"),
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status in (200, 503):
                return proc
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start; see server.log")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, 9)


def request(method: str, path: str, session: str, body: dict | None = None, csrf: str = ""):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {"Cookie": f"sessionid={session}; csrftoken={csrf or 'x' * 32}", "Host": "127.0.0.1"}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers.update(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": csrf or "x" * 32,
                "Referer": f"http://127.0.0.1:{PORT}/",
            }
        )
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def concurrency(site: Site, writers: int, writes: int, sessions: dict) -> dict:
    grid = site.py(GRID.format(writers=writers))
    url = f"/cohorts/classes/{grid['klass']}/grades/{grid['course']}/"
    comp = grid["component"]
    students = sorted(grid["students"].items())[:writers]
    counts = {"locked": 0, "server_errors": 0, "refused": 0, "ok": 0}
    last: dict[int, str] = {}
    lock = threading.Lock()

    def writer(i: int, student_pk: int) -> None:
        for k in range(writes):
            value = str(40 + (i * 7 + k) % 60)
            status, html = request("GET", url, sessions["teacher"])
            fields = dict(re.findall(r'name="([gov]-\d+-\d+)" value="([^"]*)"', html))
            body = {key: v for key, v in fields.items() if key.endswith(f"-{student_pk}-{comp}")}
            body[f"g-{student_pk}-{comp}"] = value
            status, html = request("POST", url, sessions["teacher"], body)
            with lock:
                if "database is locked" in html:
                    counts["locked"] += 1
                if status >= 500:
                    counts["server_errors"] += 1
                elif status == 302:
                    counts["ok"] += 1
                    last[student_pk] = value
                else:
                    counts["refused"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=writer, args=(i, pk)) for i, (_n, pk) in enumerate(students)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    stored = site.py(
        f"from cbec_talent.cohorts.models import Grade\n"
        f"result = {{g.student_id: float(g.score) for g in Grade.objects.filter(component_id={comp})}}"
    )
    lost = sum(1 for pk, v in last.items() if stored.get(str(pk)) != float(v))
    return {
        **counts,
        "lost_updates": lost,
        "writes": writers * writes,
        "seconds": round(seconds, 1),
        "writes_per_s": round(writers * writes / seconds, 1),
    }


WRK_SCRIPT = """
local pairs = {{{pairs}}}
local i = 0
request = function()
  i = i + 1
  local p = pairs[(i % #pairs) + 1]
  return wrk.format("GET", p[2], {{["Cookie"] = "sessionid=" .. p[1], ["Host"] = "127.0.0.1"}})
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  io.write(string.format("@@{{\\"p50_ms\\": %.2f, \\"p95_ms\\": %.2f, \\"p99_ms\\": %.2f, \\"requests\\": %d, "
    .. "\\"errors\\": %d, \\"rps\\": %.1f}}\\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, errors, summary.requests / (summary.duration / 1e6)))
end
"""


def wrk(pairs: list[tuple[str, str]], seconds: int, connections: int = 100) -> dict:
    lua = ", ".join(f'{{"{s}", "{p}"}}' for s, p in pairs)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT.format(pairs=lua))
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                f.name,
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(f.name)
    line = [x for x in out.stdout.splitlines() if x.startswith("@@")]
    if not line:
        raise RuntimeError(out.stdout + out.stderr)
    return json.loads(line[0][2:])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--postings", type=int, default=None)
    parser.add_argument("--duration", type=int, default=None, help="seconds of the mixed load (default 120)")
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--writes", type=int, default=20)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    n = args.postings or (12_000 if args.quick else 60_000)
    duration = args.duration or (20 if args.quick else 120)
    writers, writes = (10, 5) if args.quick else (args.writers, args.writes)
    tmp = Path(tempfile.mkdtemp(prefix="cbec-reliability-"))
    figures: dict = {}
    server = None
    try:
        t0 = time.monotonic()
        site = Site(tmp / "site")
        site.cli("demo", "--no-serve", timeout=900)
        print(f"site ready ({time.monotonic() - t0:.0f} s): demo college on SQLite in {site.folder}")
        reference = site.copy_to(tmp / "reference")
        csv = postings_csv(tmp / "postings.csv", n)

        crash = drill_import(site, csv, reference_site=reference)
        print(
            f"kill -9 mid-import after {crash['stored_when_killed']} of {n} postings stored: "
            f"status {crash['after_kill']['status']}, {crash['after_kill']['postings']} kept; retry "
            f"{crash['result']['postings']} postings, identical to the uninterrupted run: {crash['retry_identical']}"
        )
        pk = site.py(
            "from cbec_talent.labour_market.models import PostingImport\n"
            "result = PostingImport.objects.order_by('-pk').first().pk"
        )
        ref_pk = reference.py(
            "from cbec_talent.labour_market.models import PostingImport\n"
            "result = PostingImport.objects.order_by('-pk').first().pk"
        )
        retag = drill_retag(site, pk, reference_site=reference, ref_pk=ref_pk)
        print(
            f"kill -9 mid-retag: previous tags kept {retag['kept_previous_tags']}; retry identical "
            f"{retag['retry_identical']}"
        )
        figures.update(
            lost_rows=crash["lost_rows"] + retag["lost_rows"],
            doubled_rows=crash["doubled_rows"] + retag["doubled_rows"],
            stuck_jobs=stuck_jobs(site),
            retry_identical=bool(crash["retry_identical"] and retag["retry_identical"]),
        )

        server = start_server(site)
        sessions = site.py(SESSIONS)
        c = concurrency(site, writers, writes, sessions)
        print(
            f"{writers} writers x {writes} grade-grid saves through the server: {c['ok']} saved, {c['refused']} "
            f"refused, lost updates {c['lost_updates']}, 'database is locked' {c['locked']}, 5xx "
            f"{c['server_errors']} ({c['writes_per_s']} saves/s)"
        )
        figures.update(
            lost_updates=c["lost_updates"],
            locked_errors=c["locked"],
            server_errors=c["server_errors"],
            silent_overwrites=None,
        )

        base = wrk([(sessions["admin"], "/healthz")], max(5, duration // 6))
        pairs = [(sessions[role], page) for role, pages in PAGES.items() for page in pages]
        backup_result: dict = {}

        def backup_during_load() -> None:
            time.sleep(duration / 3)
            out = site.cli("backup", "-o", str(tmp / "live.tar.gz"))
            backup_result["out"] = out.stdout.strip()

        bt = threading.Thread(target=backup_during_load)
        bt.start()
        mixed = wrk(pairs, duration)
        bt.join()
        print(
            f"load, 100 connections, {len(pairs)} role/page pairs, {duration} s: p95 {mixed['p95_ms']:.0f} ms "
            f"(p50 {mixed['p50_ms']:.0f}), {mixed['rps']:.0f} req/s, errors {mixed['errors']}; "
            f"/healthz alone p95 {base['p95_ms']:.1f} ms (ratio {mixed['p95_ms'] / max(base['p95_ms'], 0.01):.1f})"
        )
        heavy = {}
        for name, path in (("demand", "/demand/"), ("cohorts", "/cohorts/"), ("programmes", "/programmes/")):
            r = wrk([(sessions["director"], path)], max(5, duration // 8), connections=10)
            heavy[name] = r["p95_ms"]
            print(f"  {path} alone (10 connections): p95 {r['p95_ms']:.0f} ms, {r['rps']:.0f} req/s")
        figures.update(
            load_p95_ms=round(mixed["p95_ms"], 1),
            load_errors=mixed["errors"],
            load_rps=round(mixed["rps"], 1),
            baseline_healthz_p95_ms=round(base["p95_ms"], 2),
            ratio=round(mixed["p95_ms"] / max(base["p95_ms"], 0.01), 2),
            heavy_p95_ms=heavy,
        )
        stop(server)
        server = None

        restored = Site(tmp / "restored")
        out = subprocess.run(
            [sys.executable, "-m", "cbec_talent.cli", "restore", str(tmp / "live.tar.gz"), "--yes"],
            env=restored.env,
            cwd=restored.folder,
            capture_output=True,
            text=True,
            timeout=900,
        )
        identical = out.returncode == 0 and "matches the backup" in out.stdout
        print(
            f"backup during the load: {backup_result.get('out')}; restored into a fresh site: "
            f"{out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-300:]}"
        )
        figures["backup_identical"] = identical
        figures.update(postings=n, writers=writers, writes_each=writes, load_seconds=duration, database="sqlite")
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    order = [
        "lost_rows",
        "doubled_rows",
        "stuck_jobs",
        "retry_identical",
        "lost_updates",
        "locked_errors",
        "silent_overwrites",
        "load_p95_ms",
        "load_errors",
        "load_rps",
        "backup_identical",
    ]
    print(
        json.dumps(
            {k: figures.get(k) for k in order} | {k: v for k, v in figures.items() if k not in order},
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
