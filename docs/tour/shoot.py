"""Screenshots of the five-minute tour in the README, taken from the demo college with Debian's Chromium.

    .venv/bin/python docs/tour/shoot.py                 # starts `cbec-talent demo` on 127.0.0.1:18160 in a
                                                        # temporary folder (and an SMTP server on 18161 for
                                                        # the alert's e-mail), shoots, stops them
    .venv/bin/python docs/tour/shoot.py --url http://127.0.0.1:8000   # a demo already running (fresh data)

Writes docs/tour/NN-name.png (1200x760, English interface). With Pillow installed (`pip install pillow`) the
PNGs are reduced to 256 colours, a quarter of the size; without it they are kept as Chromium wrote them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "Cbec-demo-2026"
SIZE = {"width": 1200, "height": 760}


class Mailbox:
    """A local SMTP server (aiosmtpd) for the demand-shift alert's e-mail, keeping the subjects it receives."""

    def __init__(self, port: int):
        self.port, self.subjects = port, []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        import email
        import email.policy

        self.subjects.append(str(email.message_from_bytes(envelope.content, policy=email.policy.default)["Subject"]))
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self


def start_demo(port: int, smtp_port: int) -> tuple[subprocess.Popen, str]:
    var = Path(tempfile.mkdtemp(prefix="cbec-tour-"))
    env = {**os.environ, "CBEC_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "cbec_talent.settings.dev", "DEBUG": "1"}
    env.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)})
    env.pop("DATABASE_URL", None)
    log = (var / "server.log").open("w")
    cmd = [sys.executable, "-m", "cbec_talent.cli", "demo", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=var, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the demo server exited:\n" + (var / "server.log").read_text())
        try:
            urllib.request.urlopen(url + "/accounts/login/", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the demo server did not start within 300 s")


def shrink(path: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as img:
        img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def shoot(url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from cbec_talent.labour_market.demo import SHIFTED_FILE_NAME, shifted_csv

    taken = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])

        def session(username: str):
            context = browser.new_context(viewport=SIZE, locale="en-US")
            context.add_cookies([{"name": "cbec_language", "value": "en", "url": url}])  # the English interface
            page = context.new_page()
            page.goto(url + "/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("#login-submit")
            page.wait_for_url(url + "/")
            return context, page

        def snap(page, name: str, selector: str | None = None) -> None:
            if selector:
                page.locator(selector).first.scroll_into_view_if_needed()
            path = out / f"{name}.png"
            page.screenshot(path=str(path))
            shrink(path)
            taken.append(path)

        context, page = session("director")
        page.goto(url + "/")
        snap(page, "01-director-home")
        # step 1: a second batch of postings whose demand moved
        page.goto(url + "/demand/imports/")
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / SHIFTED_FILE_NAME
            csv.write_bytes(shifted_csv())
            page.set_input_files("input[type=file]", str(csv))
            page.click("#upload-submit")
            page.wait_for_selector("#mapping-form")
            snap(page, "02-import-mapping")
            page.click("#mapping-submit")
        page.wait_for_selector("text=postings stored", timeout=120_000)
        # step 2: the gap report
        page.goto(url + "/demand/gap/")
        snap(page, "03-gap-report")
        # the demand-shift alert the import raised
        page.goto(url + "/")
        alert = page.locator("[data-panel='demand_shifts'] li[data-item^='alert:'] a").first
        alert.click()
        page.wait_for_selector("#alert-shifts")
        snap(page, "04-demand-alert")
        # step 3: the optimiser with the new weights, and the diff
        page.click("#alert-optimise-form button")
        done = "#optimiser-run[data-status='done'], #optimiser-run[data-status='failed']"
        page.wait_for_selector(done, timeout=180_000)
        snap(page, "05-optimiser-run")
        # step 4: the programme and its document
        page.goto(url + "/programmes/")
        page.locator("table a").first.click()
        page.wait_for_selector("#programme-exports")
        snap(page, "06-programme")
        context.close()

        context, page = session("teacher")
        page.goto(url + "/")
        snap(page, "07-teacher-workbench")
        page.goto(url + "/cohorts/")
        page.locator("table a").first.click()
        page.locator("a[href^='/cohorts/classes/']").first.click()
        page.locator("a[href*='/objectives/']").first.click()
        page.wait_for_selector("#objectives")
        snap(page, "08-course-objectives")
        context.close()

        context, page = session("student")
        page.goto(url + "/")
        snap(page, "09-student-workbench")
        context.close()
        browser.close()
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running demo (default: start one)")
    parser.add_argument("--port", type=int, default=18160, help="the demo's port; the SMTP server takes the next")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print("Debian's chromium is needed: apt-get install chromium", file=sys.stderr)
        return 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbec_talent.settings.dev")
    import django

    django.setup()
    proc = mailbox = None
    url = args.url
    if not url:
        mailbox = Mailbox(args.port + 1).start()
        proc, url = start_demo(args.port, mailbox.port)
    try:
        for path in shoot(url.rstrip("/"), args.out):
            print(f"{path}  {path.stat().st_size // 1024} KB")
        if mailbox is not None:
            print("e-mails sent:", mailbox.subjects)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        if mailbox is not None:
            mailbox.controller.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
