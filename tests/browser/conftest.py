"""Browser tests: a real server started the way a newcomer starts it (`cbec-talent demo`), driven by Debian's
Chromium through Playwright (executable_path; no browser download)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, smtp_server):
    """`cbec-talent demo` on a fresh SQLite file in a temporary folder; yields its base URL."""
    var = tmp_path_factory.mktemp("demo-var")
    port = _free_port()
    env = {**os.environ, "CBEC_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.dev", "DEBUG": "1"}
    env.update(
        {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_server.port), "CBEC_BASE_URL": f"http://127.0.0.1:{port}"}
    )
    env.pop("DATABASE_URL", None)
    log = (var / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cbec_talent.cli", "demo", "--port", str(port)],
        cwd=var,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 240
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("demo server exited:\n" + Path(log.name).read_text())
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("demo server did not start:\n" + Path(log.name).read_text())
    yield {"url": url, "log": Path(log.name)}
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US")
    pg = context.new_page()
    yield pg
    context.close()
