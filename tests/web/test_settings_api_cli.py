"""Settings from the environment, the deploy check, the JSON API and the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cbec_talent import cli

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deploy_check_with_no_warnings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.production",
        "SECRET_KEY": "k" * 20 + "a8Z#q9!Lm2@x" * 4,
        "ALLOWED_HOSTS": "cbec.example.edu.cn",
        "CBEC_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.production", "CBEC_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    code = (
        "import django, os; django.setup();"
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], connection.settings_dict['OPTIONS']['timeout'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.dev", "CBEC_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["wal", "20"], out.stderr


def test_api_lists_positions_with_requirements(client, role_users, reference):
    client.force_login(role_users["student"])
    data = client.get(f"/api/frameworks/{reference.pk}/positions").json()
    pos = {p["code"]: p for p in data}
    assert len(pos["POS.03"]["requirements"]) == 5
    assert "4-01-06-01" in {c for p in data for c in p["csco"]}
    comps = client.get(f"/api/frameworks/{reference.pk}/competencies?q=英语").json()
    assert "LANG.EN" in [c["code"] for c in comps]
    schema = client.get("/api/openapi.json").json()
    assert "/api/frameworks/{pk}/positions" in schema["paths"]


def test_api_refuses_anonymous_and_unknown_framework(client, role_users):
    assert client.get("/api/frameworks").status_code == 401
    client.force_login(role_users["teacher"])
    assert client.get("/api/frameworks/999999/positions").status_code == 404


@pytest.mark.django_db(transaction=False)
def test_cli_exports_and_imports_a_framework(tmp_path, reference, capsys):
    out = tmp_path / "fw.xlsx"
    assert (
        cli.cmd_export_framework(
            cli.build_parser().parse_args(["export-framework", "CBEC-REF", "-f", "xlsx", "-o", str(out)])
        )
        == 0
    )
    assert out.stat().st_size > 10_000
    args = cli.build_parser().parse_args(["import-framework", str(out), "--version", "cli-copy"])
    assert cli.cmd_import_framework(args) == 0
    assert "Imported CBEC-REF cli-copy: 28 competencies" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"framework": {"code": "X"}}), encoding="utf-8")
    assert cli.cmd_import_framework(cli.build_parser().parse_args(["import-framework", str(bad)])) == 2
    assert "nothing was written" in capsys.readouterr().err


def test_cli_help_reads_well():
    out = subprocess.run(
        [sys.executable, "-m", "cbec_talent.cli", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0
    for command in ("demo", "serve", "load-reference", "import-framework", "export-framework", "createsuperuser"):
        assert command in out.stdout


def test_cli_demand_tag_and_report(tmp_path):
    src = tmp_path / "titles.txt"
    src.write_bytes("外贸业务员 亚马逊运营\n跨境电商客服 英语流利\n".encode("gbk"))
    out = subprocess.run(
        [sys.executable, "-m", "cbec_talent.cli", "demand", "tag", str(src)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["position"] for r in rows] == ["POS.06", "POS.07"]
    assert "amazon" in [p["code"] for p in rows[0]["platforms"]]
    out = subprocess.run(
        [sys.executable, "-m", "cbec_talent.cli", "demand", "report", str(src)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and "客服专员" in out.stdout
